import { Session } from './login';

/**
 * SAML 2.0 single sign-on for multi-store businesses (Business plan).
 *
 * Their IT team wants staff accounts created and removed from the identity
 * provider (Okta, Entra ID, Google Workspace), never by hand in Acme Shop.
 */

export interface SamlConfig {
  shopId: string;
  entityId: string;
  ssoUrl: string;
  idpCertificate: string; // PEM
  defaultRole: Session['role'];
  allowPasswordLogin: boolean;
}

export interface SamlAssertion {
  issuer: string;
  audience: string;
  nameId: string; // the user's email
  notBefore: number;
  notOnOrAfter: number;
  attributes: Record<string, string[]>;
  signatureValid: boolean;
}

export class SsoError extends Error {}

const CLOCK_SKEW_MS = 3 * 60 * 1000;

// @why P-7
// ACME-940: SAML first; SCIM provisioning is tracked separately.
export class SamlProvider {
  constructor(private readonly config: SamlConfig) {}

  /** Where to send the browser to start a login. */
  loginUrl(relayState: string): string {
    const params = new URLSearchParams({ RelayState: relayState, entity: this.config.entityId });
    return `${this.config.ssoUrl}?${params.toString()}`;
  }

  validateAssertion(assertion: SamlAssertion, now = Date.now()): string {
    if (!assertion.signatureValid) {
      throw new SsoError('The identity provider signature did not verify.');
    }
    if (assertion.audience !== this.config.entityId) {
      throw new SsoError(`Assertion was meant for ${assertion.audience}.`);
    }
    if (now + CLOCK_SKEW_MS < assertion.notBefore || now - CLOCK_SKEW_MS >= assertion.notOnOrAfter) {
      throw new SsoError('The assertion has expired; please sign in again.');
    }
    return assertion.nameId.trim().toLowerCase();
  }

  roleFor(assertion: SamlAssertion): Session['role'] {
    const groups = assertion.attributes['groups'] ?? [];
    if (groups.includes('acme-owners')) return 'owner';
    if (groups.includes('acme-finance')) return 'bookkeeper';
    return this.config.defaultRole;
  }
}
