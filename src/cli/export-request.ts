import { CliFailure } from './cli-failure';

interface ExportRequest {
  baseUrl: string;
  key?: string;
  format?: string;
  updatedSince?: string;
}

/** GET /contacts/export; resolves once the server has said yes, with the body still to read. */
export async function requestExport(request: ExportRequest): Promise<Response> {
  const url = exportUrl(request);
  const headers: Record<string, string> = request.key ? { Authorization: `Bearer ${request.key}` } : {};
  const response = await fetch(url, { headers }).catch((error: unknown) => {
    throw new CliFailure(
      `cannot reach CIM at ${request.baseUrl} (${networkCause(error)}): start the server there, ` +
        'or give its address with --url or CIM_URL.',
    );
  });
  if (!response.ok) throw new CliFailure(await refusal(response, request.baseUrl));
  return response;
}

function exportUrl({ baseUrl, format, updatedSince }: ExportRequest): URL {
  if (!URL.canParse(baseUrl))
    throw new CliFailure(`${baseUrl} is not a URL: give --url or CIM_URL as http://host:port.`);
  const url = new URL('contacts/export', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (format !== undefined) url.searchParams.set('format', format);
  if (updatedSince !== undefined) url.searchParams.set('updatedSince', updatedSince);
  return url;
}

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

async function refusal(response: Response, baseUrl: string): Promise<string> {
  const problem = await problemOf(response);
  const said = `${response.status}${problem.detail ? `: ${problem.detail}` : ''}`;
  if (response.status === 401)
    return `the server refused the API key (${said}). Give an admin key with --key or CIM_API_KEY.`;
  if (response.status === 403)
    return `the key may not export (${said}). Export needs an admin key: give one with --key or CIM_API_KEY.`;
  if (response.status === 404)
    return `${baseUrl} has no /contacts/export (${said}): is --url or CIM_URL a CIM server of this version?`;
  const fields = (problem.errors ?? []).map(({ path, message }) => `\n  ${path}: ${message}`).join('');
  return `the server refused the export (${said})${fields}`;
}

interface Problem {
  detail?: string;
  errors?: { path: string; message: string }[];
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as Problem;
  } catch {
    return { detail: text.slice(0, 300) || response.statusText };
  }
}
