/** `ferretdb` runs on an embedded PostgreSQL; `ferretdb-sqlite` is the opt-in for machines where PostgreSQL cannot run. */
export const embeddedEngines = ['mongod', 'ferretdb', 'ferretdb-sqlite'] as const;
export type EngineName = (typeof embeddedEngines)[number];

/** A database server this process started and must stop. */
export interface EmbeddedDatabase {
  engine: EngineName;
  uri: string;
  dataDir: string;
  /** The PostgreSQL cluster under FerretDB, where CIM adds the indexes FerretDB cannot create itself. */
  postgresUrl?: string;
  /** `PostgreSQL 16.14` under FerretDB, for reports. */
  postgresVersion?: string;
  stop(): Promise<void>;
}
