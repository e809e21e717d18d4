import { askServer, urlOf, type CimServer } from './cim-server';

interface ExportRequest {
  format?: string;
  updatedSince?: string;
}

/** GET /contacts/export; resolves once the server has said yes, with the body still to read. */
export function requestExport(server: CimServer, request: ExportRequest): Promise<Response> {
  const url = urlOf(server, 'contacts/export', { format: request.format, updatedSince: request.updatedSince });
  return askServer(server, url, 'export');
}
