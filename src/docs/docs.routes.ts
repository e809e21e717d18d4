import { z } from 'zod';
import { buildOpenApiDocument, type JsonSchema } from '../http/openapi';
import { route, type RouteSpec } from '../http/route';
import { DOCS_PATH, DOCUMENT_PATH, swaggerUiPage } from './swagger-ui-page';

/** Named schemas known only at run time, e.g. Contact built from the stored attribute definitions. */
export type ComponentsProvider = () => Promise<Record<string, JsonSchema>>;

/** The version of the API contract (cim-api-1.0), not of the package. */
const API_VERSION = '1.0.0';

const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .describe('OpenAPI 3.1 document');

/** GET /openapi.json and GET /docs; `routes` is read on each request, so it may still grow after this call. */
export function docsRoutes(routes: RouteSpec[], components: ComponentsProvider): RouteSpec[] {
  const page = swaggerUiPage();
  return [
    route({
      method: 'get',
      path: DOCUMENT_PATH,
      permission: 'public',
      tag: 'Operations',
      summary: 'This API as an OpenAPI 3.1 document',
      description: 'Built on each request, so the contact schemas follow the current attribute definitions.',
      operationId: 'getOpenApiDocument',
      response: openApiDocumentSchema,
      handle: async ({ res }) => {
        res.set('Cache-Control', 'no-cache');
        return buildOpenApiDocument(routes, { version: API_VERSION, components: await components() });
      },
    }),
    route({
      method: 'get',
      path: DOCS_PATH,
      permission: 'public',
      tag: 'Operations',
      summary: 'Interactive API docs (Swagger UI, served entirely by this server)',
      description:
        'Swagger UI on /openapi.json, with its scripts served by this server (no CDN): "Try it out" sends real requests.',
      operationId: 'getApiDocs',
      response: z.string().describe('HTML page'),
      responseMediaType: 'text/html',
      handle: () => page,
    }),
  ];
}
