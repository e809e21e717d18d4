import { z } from 'zod';
import { route } from '../http/route';
import { mappingIdParams, mappingInputSchema, mappingSchema, mappingUpdateSchema } from './mapping.schemas';
import type { MappingService } from './mapping.service';

export function mappingRoutes(service: MappingService) {
  return [
    route({
      method: 'post',
      path: '/mapping',
      permission: 'mapping:write',
      tag: 'Mapping',
      summary: 'Add a condition to the screen-pop search criteria',
      description:
        'When a call carries this call variable with a value, screen pop looks for contacts whose attribute `key` has that value. The attribute must be defined; one condition per call variable and key.',
      body: mappingInputSchema,
      response: mappingSchema,
      errors: [409],
      handle: ({ body, context }) => service.createMapping(body, context),
    }),
    route({
      method: 'get',
      path: '/mapping',
      permission: 'mapping:read',
      tag: 'Mapping',
      summary: 'The screen-pop search criteria',
      description: 'Every condition, as POST /contacts/lookup applies them.',
      response: z.array(mappingSchema),
      handle: () => service.listMappings(),
    }),
    route({
      method: 'put',
      path: '/mapping/{id}',
      permission: 'mapping:write',
      tag: 'Mapping',
      summary: 'Replace a condition',
      description:
        "The condition becomes the one sent. The object GET /mapping returned may be sent back whole: its `_id` must be the path's.",
      params: mappingIdParams,
      body: mappingUpdateSchema,
      response: mappingSchema,
      errors: [404, 409],
      handle: ({ params, body, context }) => service.updateMapping(params.id, body, context),
    }),
    route({
      method: 'delete',
      path: '/mapping/{id}',
      permission: 'mapping:write',
      tag: 'Mapping',
      summary: 'Remove a condition',
      description: 'Screen pop stops using it at once, on every instance. Returns the removed condition.',
      params: mappingIdParams,
      response: mappingSchema,
      errors: [404],
      handle: ({ params, context }) => service.deleteMapping(params.id, context),
    }),
  ];
}
