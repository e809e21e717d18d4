import { z } from 'zod';
import { route } from '../http/route';
import { mappingIdParams, mappingInputSchema, mappingSchema, mappingUpdateSchema } from './mapping.schemas';
import type { MappingService } from './mapping.service';

export function mappingRoutes(service: MappingService) {
  return [
    route({
      method: 'post',
      path: '/mapping',
      tag: 'Mapping',
      summary: 'Add a condition to the screen-pop search criteria',
      body: mappingInputSchema,
      response: mappingSchema,
      errors: [409],
      handle: ({ body, context }) => service.createMapping(body, context),
    }),
    route({
      method: 'get',
      path: '/mapping',
      tag: 'Mapping',
      summary: 'The screen-pop search criteria',
      response: z.array(mappingSchema),
      handle: () => service.listMappings(),
    }),
    route({
      method: 'put',
      path: '/mapping/{id}',
      tag: 'Mapping',
      summary: 'Replace a condition',
      params: mappingIdParams,
      body: mappingUpdateSchema,
      response: mappingSchema,
      errors: [404, 409],
      handle: ({ params, body, context }) => service.updateMapping(params.id, body, context),
    }),
    route({
      method: 'delete',
      path: '/mapping/{id}',
      tag: 'Mapping',
      summary: 'Remove a condition',
      params: mappingIdParams,
      response: mappingSchema,
      errors: [404],
      handle: ({ params, context }) => service.deleteMapping(params.id, context),
    }),
  ];
}
