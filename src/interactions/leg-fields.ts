/**
 * A leg's optional text fields, in API 1.0's order, with what the API document says of each: the one list the
 * request and answer schemas and the stored model are built from. `type` and `start_time` are always there.
 */
const legTextFields = {
  agentId: '',
  call_duration: '',
  ivr_trail: 'In case of an IVR leg',
  call_id: 'The CTI call id of this leg (a transfer or consult may have its own)',
  call_disposition: '',
  team_name: '',
  csq: '',
  interaction_type: '',
  wrap_up: '',
} as const;

export type LegTextField = keyof typeof legTextFields;

const names = Object.keys(legTextFields) as LegTextField[];

/** One schema per text field, made by `make` from its name and description. */
export function legTextShape<S>(make: (field: LegTextField, description: string) => S): Record<LegTextField, S> {
  return Object.fromEntries(names.map((name) => [name, make(name, legTextFields[name])])) as Record<LegTextField, S>;
}
