import { z } from 'zod';
import { route, type RouteSpec } from '../http/route';
import type { InteractionService } from './interaction.service';
import {
  callIdParamsSchema,
  contactIdParamsSchema,
  historyQuerySchema,
  legSchema,
  saveLegBodySchema,
  treeSchema,
} from './interaction.schemas';

export function interactionRoutes(service: InteractionService): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/interactions/updateOrSaveInteractionTree/{call_Id}',
      permission: 'interactions:post',
      operationId: 'updateOrSaveInteractionTree',
      tag: 'Interactions',
      summary: "Add a leg to a call's interaction tree, or update the leg it belongs to",
      description:
        'The first post of a call creates its tree (ani required). A leg is identified by call_id, type, agentId ' +
        'and start_time: a later post of the same leg sets the fields it carries and keeps the others, so retries ' +
        'change nothing. At most 500 legs per call.',
      params: callIdParamsSchema,
      body: saveLegBodySchema,
      response: legSchema,
      responseDescription: 'The stored leg',
      errors: [409, 503],
      handle: ({ params, body }) => service.saveLeg(params.call_Id, body),
    }),
    route({
      method: 'get',
      path: '/interactions/loadInteractions/{id}',
      permission: 'interactions:read',
      operationId: 'loadInteractions',
      tag: 'Interactions',
      summary: "A contact's call history",
      description:
        "The calls whose ANI is the same number as one of the contact's phone attributes, newest first. " +
        'For the next page pass the call_Id of the last call as `before`.',
      params: contactIdParamsSchema,
      query: historyQuerySchema,
      response: z.array(treeSchema),
      errors: [404],
      handle: ({ params, query }) => service.loadContactHistory(params.id, query),
    }),
    route({
      method: 'get',
      path: '/interactions/call/{call_Id}',
      permission: 'interactions:post',
      operationId: 'getInteractionTree',
      tag: 'Interactions',
      summary: "One call's interaction tree",
      description: "The call's legs in start_time order, with the ANI of its first post.",
      params: callIdParamsSchema,
      response: treeSchema,
      errors: [404],
      handle: ({ params }) => service.loadCall(params.call_Id),
    }),
  ];
}
