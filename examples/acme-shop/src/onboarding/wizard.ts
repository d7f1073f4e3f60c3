import { Shop } from '../orders/types';

/**
 * The first-run wizard: shop details, bank account, first product, go live.
 *
 * A shop cannot receive payouts until its bank account is verified, so this
 * is the step that decides whether a new shop ever takes money.
 */

export type Step = 'details' | 'bank' | 'product' | 'live';

export const STEPS: Step[] = ['details', 'bank', 'product', 'live'];

export interface BankDetails {
  accountHolder: string;
  sortCode?: string; // UK
  accountNumber?: string; // UK
  iban?: string; // EU
}

export interface BankVerifier {
  /** Instant check against the bank's confirmation-of-payee service. */
  confirmPayee(details: BankDetails): Promise<'match' | 'close-match' | 'no-match' | 'unavailable'>;
  /** Fallback: two small deposits the owner confirms later. Takes 1-2 days. */
  sendMicroDeposits(details: BankDetails): Promise<void>;
}

export interface WizardState {
  shop: Shop;
  step: Step;
  bankPending: boolean;
  message?: string;
}

export class OnboardingWizard {
  constructor(private readonly verifier: BankVerifier) {}

  next(state: WizardState): WizardState {
    const index = STEPS.indexOf(state.step);
    const step = STEPS[Math.min(index + 1, STEPS.length - 1)];
    return { ...state, step, message: undefined };
  }

  // @why P-1
  // ACME-902: let owners continue to "first product" while the bank check runs,
  // instead of parking them on a spinner.
  async verifyBankAccount(state: WizardState, details: BankDetails): Promise<WizardState> {
    const result = await this.verifier.confirmPayee(details);
    switch (result) {
      case 'match':
        return this.next({ ...state, shop: { ...state.shop, bankAccountVerified: true } });
      case 'close-match':
        return {
          ...state,
          message: `Your bank knows this account as a slightly different name. Is "${details.accountHolder}" exactly as on your statement?`,
        };
      case 'no-match':
        return { ...state, message: 'Those details do not match an account. Check the sort code and account number.' };
      case 'unavailable':
        await this.verifier.sendMicroDeposits(details);
        return this.next({ ...state, bankPending: true });
    }
  }

  canGoLive(state: WizardState): boolean {
    return state.shop.bankAccountVerified || state.bankPending;
  }
}
