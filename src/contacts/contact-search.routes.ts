import { z } from 'zod';
import { limitQuery, limitSchema } from '../http/paging';
import { route } from '../http/route';
import type { ContactSearchService } from './contact-search.service';
import { scalarValue, searchTermsSchema, type Scalar } from './search-terms';
import { contactListSchema } from './contact-response';
import { poppedContactSchema } from './duplicate-response';

// Keys holding $ are refused before any route (src/http/json-body.ts): they could smuggle an operator.
const callVariableName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^$]+$/, 'must not contain $');
const aniSchema = z.string().max(64).describe('The caller’s number as the CTI delivers it');
/** In a query string an unencoded `+` arrives as a space: `?ani=+4477…` is read `' 4477…'`, an international number. */
const queryAniSchema = aniSchema.transform((ani) => ani.replace(/^ (?=\d)/, '+'));

const lookupResult = z.object({
  contacts: z.array(poppedContactSchema),
  matchedOn: z.array(z.object({ key: z.string(), value: z.string(), source: z.enum(['callVariable', 'ani']) })),
});

const lookupDescription =
  'The mapping conditions whose call variable has a non-empty value in this call, combined with AND, matched ' +
  'exactly (text case- and accent-insensitively, phones as the same number). When none applies, the ANI is matched ' +
  'against every phone attribute; an ANI that is not a phone number matches nothing.';

export function contactSearchRoutes(service: ContactSearchService) {
  return [
    route({
      method: 'get',
      path: '/contacts/getContactByName/{name}',
      permission: 'contacts:search',
      tag: 'Contacts',
      summary: 'Find contacts by name',
      description:
        'Each word must start a different word of first_name or last_name, in any order, case- and ' +
        'accent-insensitively. Exact full-name matches first, then by last name. At most 100 characters.',
      params: z.object({
        name: z
          .string()
          .describe('Name words, e.g. "john smi"')
          .meta({ examples: ['exam'] }),
      }),
      query: limitQuery,
      response: contactListSchema,
      handle: ({ params, query }) => service.findContactsByName(params.name, query.limit),
    }),
    route({
      method: 'post',
      path: '/contacts/getContactsBySearchTerms',
      permission: 'contacts:search',
      tag: 'Contacts',
      summary: 'Find contacts by search terms',
      description:
        'Terms combined with AND: an attribute key (text matches a prefix of any word, case- and accent-insensitively; phones the same number; other types the exact value), `phone` for any phone attribute, `name` for the name words. At most 25 contacts unless `limit` says otherwise.',
      query: limitQuery,
      body: searchTermsSchema,
      response: contactListSchema,
      handle: ({ body, query }) => service.findContactsBySearchTerms(body, query.limit),
    }),
    route({
      method: 'post',
      path: '/contacts/lookup',
      permission: 'contacts:search',
      tag: 'Contacts',
      summary: 'Screen pop: find the caller from the ANI and call variables',
      description: lookupDescription,
      query: limitQuery,
      body: z
        .strictObject({
          ani: aniSchema.optional(),
          // CTIs send null for unset variables: such a variable is simply absent from this call.
          callVariables: z
            .record(callVariableName, scalarValue.nullable())
            .default({})
            .transform((variables) =>
              Object.fromEntries(
                Object.entries(variables).filter((entry): entry is [string, Scalar] => entry[1] !== null),
              ),
            ),
        })
        // callVariable1 is not mapped: the ANI decides, and finds the contact of POST /saveContact's example.
        .meta({ examples: [{ ani: '+14155550123', callVariables: { callVariable1: 'billing' } }] }),
      response: lookupResult,
      handle: ({ body, query }) => service.lookupCaller(body, query.limit),
    }),
    route({
      method: 'get',
      path: '/contacts/lookup',
      permission: 'contacts:search',
      tag: 'Contacts',
      summary: 'Screen pop (GET form): every query parameter but ani and limit is a call variable',
      description: lookupDescription,
      query: z
        .object({ ani: queryAniSchema.optional(), limit: limitSchema })
        .catchall(z.string().max(1_000, 'must be one value of at most 1,000 characters')),
      response: lookupResult,
      handle: ({ query }) => {
        const { ani, limit, ...callVariables } = query;
        return service.lookupCaller({ ani, callVariables }, limit);
      },
    }),
  ];
}
