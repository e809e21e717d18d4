import express, { type RequestHandler, type Router } from 'express';
import swaggerUi from 'swagger-ui-express';

export const DOCS_PATH = '/docs';
export const DOCUMENT_PATH = '/openapi.json';

const swaggerUiOptions: swaggerUi.SwaggerUiOptions = {
  customSiteTitle: 'CIM API docs',
  swaggerUrl: DOCUMENT_PATH,
  swaggerOptions: {
    // The default validator badge would send the document's URL to validator.swagger.io.
    validatorUrl: null,
    displayRequestDuration: true,
    filter: true,
    persistAuthorization: true,
  },
};

/**
 * Swagger UI's page for GET /docs. The template's asset URLs are relative (./swagger-ui.css), which from
 * /docs would resolve to the site root, so they are anchored under /docs where the assets are served.
 */
export function swaggerUiPage(): string {
  return swaggerUi.generateHTML(undefined, swaggerUiOptions).replaceAll('="./', `="${DOCS_PATH}/`);
}

/** Serves, mounted at /docs, exactly the files the page loads (from swagger-ui-dist) and nothing else of the package. */
export function swaggerUiAssets(): Router {
  const names = new Set([...swaggerUiPage().matchAll(/="\/docs\/([^"]+)"/g)].map((match) => match[1]));
  const onlyPageAssets: RequestHandler = (req, _res, next) => next(names.has(req.path.slice(1)) ? undefined : 'router');
  return express.Router().use(onlyPageAssets, ...swaggerUi.serveFiles(undefined, swaggerUiOptions));
}
