import { z } from 'zod';
import { route } from '../http/route';
import {
  attributeDefinitionSchema,
  attributeIdParams,
  createAttributeSchema,
  updateAttributeSchema,
} from './attribute.schemas';
import type { SchemaService } from './schema.service';

export function schemaRoutes(service: SchemaService) {
  return [
    route({
      method: 'get',
      path: '/getSchema',
      permission: 'schema:read',
      tag: 'Schema',
      summary: 'List the attributes of the contact object, in creation order',
      description:
        'The system attributes first_name, last_name and phone1 first, then those admins added. These are the keys a contact, a search and a mapping may use.',
      response: z.array(attributeDefinitionSchema),
      handle: () => service.listDefinitions(),
    }),
    route({
      method: 'post',
      path: '/saveSchema',
      permission: 'schema:write',
      tag: 'Schema',
      summary: 'Add a new attribute to the contact object',
      description:
        'At most 100 attributes. A required attribute can only be added while every stored contact could satisfy it.',
      body: createAttributeSchema,
      response: attributeDefinitionSchema,
      errors: [409],
      links: {
        UpdateAttribute: { operationId: 'putSchemaSchemaId', parameters: { schema_id: '$response.body#/_id' } },
        DeleteAttribute: { operationId: 'deleteSchemaSchemaId', parameters: { schema_id: '$response.body#/_id' } },
      },
      handle: ({ body, context }) => service.createDefinition(body, context),
    }),
    route({
      method: 'put',
      path: '/schema/{schema_id}',
      permission: 'schema:write',
      tag: 'Schema',
      summary: 'Update an attribute',
      description:
        'A change of type, turning on required or unique, or removing enum options is applied only when every ' +
        'stored contact satisfies the new rule; otherwise 409 lists how many contacts violate it and a few ids.',
      params: attributeIdParams,
      body: updateAttributeSchema,
      response: attributeDefinitionSchema,
      errors: [404, 409],
      handle: ({ params, body, context }) => service.updateDefinition(params.schema_id, body, context),
    }),
    route({
      method: 'delete',
      path: '/schema/{schema_id}',
      permission: 'schema:write',
      tag: 'Schema',
      summary: 'Delete an attribute and its values from every contact',
      description:
        'The values are personal data and are erased from every contact. System attributes cannot be deleted, ' +
        'nor an attribute that a call-variable mapping uses (409).',
      params: attributeIdParams,
      response: attributeDefinitionSchema,
      errors: [404, 409],
      handle: ({ params, context }) => service.deleteDefinition(params.schema_id, context),
    }),
  ];
}
