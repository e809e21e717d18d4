/** An identifier (schema, table, index) quoted for PostgreSQL. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A text literal quoted for PostgreSQL, where a parameter cannot go (DDL, a JSON key in an expression). */
export const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
