import { CliFailure } from './cli-failure';

export interface CimServer {
  baseUrl: string;
  key?: string;
}

/** What the request is for, as the refusal messages name it: `export`, `import`. */
type Action = 'export' | 'import';

export function serverOf(values: { url?: string; key?: string }, env: NodeJS.ProcessEnv): CimServer {
  return { baseUrl: values.url ?? env.CIM_URL ?? 'http://localhost:3000', key: values.key ?? env.CIM_API_KEY };
}

export function urlOf({ baseUrl }: CimServer, path: string, query: Record<string, string | undefined> = {}): URL {
  if (!URL.canParse(baseUrl))
    throw new CliFailure(`${baseUrl} is not a URL: give --url or CIM_URL as http://host:port.`);
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
  return url;
}

/** Sends the request with the key; resolves once the server has said yes, with the body still to read. */
export async function askServer(
  server: CimServer,
  url: URL,
  action: Action,
  init: RequestInit = {},
): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string>), ...authorization(server) };
  const response = await fetch(url, { ...init, headers }).catch((error: unknown) => {
    throw new CliFailure(
      `cannot reach CIM at ${server.baseUrl} (${networkCause(error)}): start the server there, ` +
        'or give its address with --url or CIM_URL.',
    );
  });
  if (!response.ok) throw new CliFailure(await refusal(response, url, action, server));
  return response;
}

function authorization({ key }: CimServer): Record<string, string> {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

async function refusal(response: Response, url: URL, action: Action, server: CimServer): Promise<string> {
  const problem = await problemOf(response);
  const said = `${response.status}${problem.detail ? `: ${problem.detail}` : ''}`;
  const fields = (problem.errors ?? []).map(({ path, message }) => `\n  ${path}: ${message}`).join('');
  if (response.status === 401 && !server.key)
    return `the server wants an API key (${said}). Give an admin key with --key or CIM_API_KEY.`;
  if (response.status === 401)
    return `the server refused the API key (${said}). Give an admin key with --key or CIM_API_KEY.`;
  if (response.status === 403)
    return `the key may not ${action} (${said}). ${capitalised(action)} needs an admin key: give one with --key or CIM_API_KEY.`;
  if (response.status === 404)
    return `${url.origin} has no ${url.pathname} (${said}): is --url or CIM_URL a CIM server of this version?`;
  if (response.status === 413)
    return `the file is too large for the server (${said}). Split it, or raise CIM_IMPORT_MAX_BYTES on the server.`;
  return `the server refused the ${action} (${said})${fields}`;
}

const capitalised = (word: string) => `${word[0].toUpperCase()}${word.slice(1)}`;

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
