import { Type, type Static } from '@sinclair/typebox';
import { compileSchema, TrellisError, type CompanyFact } from '@trellis/core';

/**
 * The business-registry connector: looks companies up by name or unified
 * social credit code at a provider that speaks the HTTP interface below, so
 * supplier registration can fill in company facts and risk flags. Any real
 * registry service (Qichacha, Tianyancha, a national registry gateway) is
 * plugged in with a small adapter that answers this interface.
 *
 *   GET {TRELLIS_REGISTRY_URL}/companies?q=<name or credit code>
 *   Authorization: Bearer {TRELLIS_REGISTRY_TOKEN}   (when set)
 *   → 200 {"items": [Company, …]}   (best match first; an empty list when none)
 *
 * A Company is `ProviderCompany` below. Any other status, a body that does not
 * fit, or no answer within the timeout is an error of the provider.
 */

const RiskSchema = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 60 }),
  level: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
  text: Type.String({ maxLength: 1000 }),
  date: Type.Optional(Type.String({ maxLength: 40 })),
});

export const ProviderCompanySchema = Type.Object({
  creditCode: Type.String({ minLength: 1, maxLength: 40 }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
  legalRepresentative: Type.Optional(Type.String({ maxLength: 200 })),
  /** in yuan */
  registeredCapital: Type.Optional(Type.Number({ minimum: 0 })),
  foundedOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  /** as the registry says it, e.g. 存续 / active, 注销 / deregistered */
  status: Type.Optional(Type.String({ maxLength: 60 })),
  address: Type.Optional(Type.String({ maxLength: 500 })),
  businessScope: Type.Optional(Type.String({ maxLength: 5000 })),
  risks: Type.Optional(Type.Array(RiskSchema, { maxItems: 200 })),
});
export type ProviderCompany = Static<typeof ProviderCompanySchema>;

const ProviderReplySchema = Type.Object({ items: Type.Array(ProviderCompanySchema, { maxItems: 100 }) });
const validReply = compileSchema(ProviderReplySchema);

export interface CompanyRegistry {
  /** companies matching a name or credit code, best first */
  search(query: string, signal?: AbortSignal): Promise<ProviderCompany[]>;
}

/** Statuses that mean the company no longer trades. */
const GONE = /注销|吊销|撤销|deregistered|revoked|cancel+ed|dissolved|struck off/i;

export type RiskLevel = 'none' | 'low' | 'medium' | 'high';

/** The overall risk: the worst flag; a company that no longer trades is high risk. */
export function riskLevel(c: ProviderCompany): RiskLevel {
  if (c.status && GONE.test(c.status)) return 'high';
  const order: RiskLevel[] = ['none', 'low', 'medium', 'high'];
  return (c.risks ?? []).reduce<RiskLevel>((worst, r) => (order.indexOf(r.level) > order.indexOf(worst) ? r.level : worst), 'none');
}

/** The best match of a search: the one with this exact credit code or name, else the first. */
export function bestMatch(query: string, items: readonly ProviderCompany[]): ProviderCompany | null {
  const q = query.trim().toLowerCase();
  return items.find((c) => c.creditCode.toLowerCase() === q) ?? items.find((c) => c.name.trim().toLowerCase() === q) ?? items[0] ?? null;
}

/** What a lookup writes for each fact (null: the company was not found). */
export function factValue(fact: CompanyFact, c: ProviderCompany | null): unknown {
  if (fact === 'found') return c !== null;
  if (!c) return null;
  switch (fact) {
    case 'riskLevel':
      return riskLevel(c);
    case 'risks':
      return (c.risks ?? []).map((r) => `[${r.level}] ${r.type}: ${r.text}${r.date ? ` (${r.date})` : ''}`).join('\n') || null;
    default:
      return c[fact] ?? null;
  }
}

/** A provider reached over HTTP. */
export class HttpCompanyRegistry implements CompanyRegistry {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null,
    private readonly timeoutMs: number,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  async search(query: string, signal?: AbortSignal): Promise<ProviderCompany[]> {
    const q = query.trim();
    if (!q) return [];
    if (q.length > 300) throw new TrellisError('BAD_REQUEST', 'A company name or credit code has at most 300 characters');
    const url = `${this.baseUrl}/companies?q=${encodeURIComponent(q)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetcher(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (e) {
      throw new RegistryError(`The business registry did not answer: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status === 404) return [];
    if (!res.ok) throw new RegistryError(`The business registry answered ${res.status}`);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new RegistryError('The business registry answered with something that is not JSON');
    }
    if (!validReply(body)) throw new RegistryError(`The business registry's answer does not fit the interface: ${validReply.errors?.[0]?.instancePath || '/'} ${validReply.errors?.[0]?.message ?? ''}`.trim());
    return (body as Static<typeof ProviderReplySchema>).items;
  }
}

/** The provider failed (no answer, an error status, a body that does not fit): worth trying again later. */
export class RegistryError extends Error {}
