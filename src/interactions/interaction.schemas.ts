import { z } from 'zod';
import { objectIdSchema } from '../http/object-id';
import { limitSchema } from '../http/paging';
import { legTextShape } from './leg-fields';
import { parseStartTime } from './start-time';

const maxText = 1_000;
const maxIvrTrail = 10_000;
const startTimeMessage =
  'must be an ISO 8601 date-time (with an offset, or without one for the server time zone) or epoch seconds or ms';

/**
 * Text as API 1.0 shows it; a CTI may send a number where it shows a string (`"call_duration": 38`): taken, and
 * stored as the string API 1.0 shows.
 */
const text = (description?: string, { min = 0, max = maxText } = {}) => {
  const schema = z.union([z.string().min(min).max(max), z.number().finite().transform(String)]);
  return description ? schema.describe(description) : schema;
};

const startTimeSchema = z
  .union([z.string().max(64), z.number()])
  .transform((value, ctx) => {
    const startTime = parseStartTime(value);
    if (!startTime) ctx.addIssue({ code: 'custom', message: startTimeMessage });
    return startTime ?? z.NEVER;
  })
  .describe(
    'When the leg started: ISO 8601 with an offset (2024-05-01T09:30:00Z); 2024-05-01 09:30:00[.250] without one, ' +
      "read in the server's CIM_DEFAULT_TIMEZONE; or epoch time, a number or digits: seconds below 10^11, else ms",
  );

const { agentId: agentIdInput, ...laterTextInputs } = legTextShape((field, description) =>
  text(description || undefined, { max: field === 'ivr_trail' ? maxIvrTrail : maxText }).optional(),
);

// In API 1.0's order: type, agentId, start_time, then the other fields.
export const legInputSchema = z.strictObject({
  type: text('Kind of leg: IVR, queue, agent, transfer, consult…', { min: 1 }),
  agentId: agentIdInput,
  start_time: startTimeSchema,
  ...laterTextInputs,
});
/** A leg as posted: its start_time may still be a wall-clock time of the server's time zone. */
export type PostedLeg = z.output<typeof legInputSchema>;
/** A leg whose start_time is an instant. */
export type LegInput = Omit<PostedLeg, 'start_time'> & { start_time: Date };

export const saveLegBodySchema = z
  .strictObject({
    interaction: legInputSchema,
    call_Id: text('Must equal the call_Id of the path when sent').optional(),
    ani: text("The caller's number; required on the first post of a call", { min: 1 }).optional(),
  })
  .meta({
    examples: [
      {
        ani: '+14155550123',
        interaction: {
          type: 'agent',
          agentId: 'agent7',
          start_time: '2024-05-01T09:30:00Z',
          call_id: 'call-0001',
          team_name: 'Billing',
        },
      },
    ],
  });
export type SaveLegBody = z.output<typeof saveLegBodySchema>;

export const callIdParamsSchema = z.object({
  call_Id: z
    .string()
    .min(1)
    .max(maxText)
    .meta({ examples: ['call-0001'] }),
});
export const contactIdParamsSchema = z.object({ id: objectIdSchema('a contact id').describe('A contact id') });

export const historyQuerySchema = z.strictObject({
  limit: limitSchema.describe('How many calls, newest first (1–100, default 25)'),
  before: z.string().min(1).max(maxText).optional().describe('The call_Id of the last call of the previous page'),
});
export type HistoryQuery = z.output<typeof historyQuerySchema>;

const { agentId, ...laterTexts } = legTextShape(() => z.string().optional());

export const legSchema = z
  .object({ type: z.string(), agentId, start_time: z.string().describe('ISO 8601, UTC'), ...laterTexts })
  .meta({ id: 'InteractionLeg', description: 'One leg of a call: IVR, queue, agent, transfer, consult…' });
export type LegJson = z.infer<typeof legSchema>;

export const treeSchema = z
  .object({
    call_Id: z.string(),
    phone_number: z.string().describe('The ANI of the first post'),
    interactions: z.array(legSchema).describe('The legs in start_time order'),
  })
  .meta({ id: 'InteractionTree', description: "One call's interaction tree" });
export type TreeJson = z.infer<typeof treeSchema>;
