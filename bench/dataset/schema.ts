/** The contact record of the bench: the system attributes plus custom ones of every type, defined via the API. */
export const customAttributes = [
  { key: 'accountNo', label: 'Account number', type: 'string' },
  { key: 'city', label: 'City', type: 'string' },
  { key: 'company', label: 'Company', type: 'string' },
  { key: 'notes', label: 'Notes', type: 'text' },
  { key: 'lifetimeValue', label: 'Lifetime value', type: 'number' },
  { key: 'openTickets', label: 'Open tickets', type: 'number' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
  { key: 'marketingOptIn', label: 'Marketing opt-in', type: 'boolean' },
  { key: 'customerSince', label: 'Customer since', type: 'date' },
  { key: 'lastPurchase', label: 'Last purchase', type: 'date' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'billingEmail', label: 'Billing email', type: 'email' },
  { key: 'mobile', label: 'Mobile', type: 'phone' },
  { key: 'workPhone', label: 'Work phone', type: 'phone' },
  { key: 'website', label: 'Website', type: 'url' },
  { key: 'crmLink', label: 'CRM link', type: 'url' },
  { key: 'tier', label: 'Tier', type: 'enum', options: ['bronze', 'silver', 'gold', 'platinum'] },
  { key: 'language', label: 'Language', type: 'enum', options: ['en', 'fr', 'de', 'es', 'it', 'pt'] },
] as const;

/** The screen-pop condition the IVR fills: the account number the caller typed. */
export const accountMapping = {
  callVariable: 'user.cim.accountNo',
  varNumber: '3',
  callVar: 'Account number',
  key: 'accountNo',
} as const;

export type AttributeTypeName = (typeof customAttributes)[number]['type'] | 'phone' | 'string';

/** Every attribute's type, system ones included: what the floor server needs to build its filters. */
export const attributeTypes: Record<string, AttributeTypeName> = {
  first_name: 'string',
  last_name: 'string',
  phone1: 'phone',
  ...Object.fromEntries(customAttributes.map((attribute) => [attribute.key, attribute.type])),
};
