import supertest from 'supertest';
import {
  breachOf,
  findOperation,
  problemBreachOf,
  runtimeComponentsOf,
  type MatchedOperation,
  type ObservedResponse,
} from './openapi-contract';

export type HttpAgent = ReturnType<typeof supertest>;
type App = Parameters<typeof supertest>[0];

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options'] as const;
const DEFINITION_WRITES = new Set(['/saveSchema', '/schema/{schema_id}']);

/**
 * Checks responses against openapi.yaml, with the contact components of the document the app serves. That
 * document is fetched again after a definition write through this agent, and once more when a response breaks
 * the cached one (another app instance on the same database may have changed the definitions).
 */
class LiveContract {
  private runtime = runtimeComponentsOf(undefined);
  private stale = false;
  private reloading: Promise<void> | undefined;

  constructor(private readonly app: App) {}

  async check(method: string, url: string, res: ObservedResponse): Promise<void> {
    const pathname = new URL(url, 'http://cim.test').pathname;
    const matched = findOperation(method, pathname);
    const breach = matched
      ? await this.breachOfDocumented(matched, res, method !== 'head')
      : breachOfUndocumented(method, pathname, res);
    if (matched && matched.method !== 'get' && DEFINITION_WRITES.has(matched.template)) this.stale = true;
    if (!breach) return;
    const operation = matched
      ? `${matched.operation.operationId} (${method.toUpperCase()} ${matched.template})`
      : `${method.toUpperCase()} ${pathname} (a path or method the document does not have)`;
    throw new Error(`${operation} answered ${res.status}, which openapi.yaml does not allow: ${breach}`);
  }

  private async breachOfDocumented(matched: MatchedOperation, res: ObservedResponse, withBody: boolean) {
    if (this.stale) await this.reload();
    const breach = breachOf(matched, res, this.runtime, withBody);
    if (!breach) return undefined;
    await this.reload();
    return breachOf(matched, res, this.runtime, withBody);
  }

  private reload(): Promise<void> {
    this.stale = false;
    this.reloading ??= supertest(this.app)
      .get('/openapi.json')
      .then((res) => {
        if (res.status === 200) this.runtime = runtimeComponentsOf(res.body);
      })
      .finally(() => (this.reloading = undefined));
    return this.reloading;
  }
}

function breachOfUndocumented(method: string, pathname: string, res: ObservedResponse): string | undefined {
  // A CORS preflight is answered before routing; OpenAPI does not describe preflights.
  if (method === 'options' && res.status === 204) return undefined;
  // Swagger UI's scripts and styles, served under /docs for the page GET /docs documents.
  if (pathname.startsWith('/docs/') && res.status === 200 && (method === 'get' || method === 'head')) return undefined;
  return problemBreachOf(res);
}

/** The test resolves only after its response was checked; a breach rejects it with the operation and errors. */
function checked(test: supertest.Test, check: (res: ObservedResponse) => Promise<void>): supertest.Test {
  const then = test.then.bind(test);
  let result: Promise<supertest.Response> | undefined;
  test.then = ((onFulfilled, onRejected) => {
    result ??= then(async (res) => {
      await check(res);
      return res;
    });
    return result.then(onFulfilled, onRejected);
  }) as typeof test.then;
  return test;
}

/** supertest on the app, every response of which is validated against openapi.yaml. */
export function contractCheckedAgent(app: App): HttpAgent {
  const agent = supertest(app);
  const contract = new LiveContract(app);
  const senders = agent as unknown as Record<string, (url: string) => supertest.Test>;
  for (const name of METHODS) {
    const send = senders[name].bind(agent);
    const method = name === 'del' ? 'delete' : name;
    senders[name] = (url) => checked(send(url), (res) => contract.check(method, url, res));
  }
  return agent;
}
