/**
 * Email + password login for shop owners and their staff.
 *
 * Staff usually share one tablet behind the counter, so sessions on a
 * device marked "shared" behave differently from a personal laptop.
 */

export interface Session {
  id: string;
  userId: string;
  shopId: string;
  role: 'owner' | 'staff' | 'bookkeeper';
  createdAt: number;
  lastSeenAt: number;
  sharedDevice: boolean;
}

export interface Credentials {
  email: string;
  password: string;
  sharedDevice?: boolean;
}

export interface UserStore {
  findByEmail(email: string): Promise<{ id: string; shopId: string; role: Session['role']; passwordHash: string } | undefined>;
  verifyPassword(hash: string, password: string): Promise<boolean>;
}

const PERSONAL_IDLE_MS = 30 * 60 * 1000;
// @why P-3 -- a shift is up to 10 hours; staff were logged out at the till mid-sale
const SHARED_IDLE_MS = 10 * 60 * 60 * 1000;

export class LoginError extends Error {}

export async function login(store: UserStore, creds: Credentials, now = Date.now()): Promise<Session> {
  const user = await store.findByEmail(creds.email.trim().toLowerCase());
  if (!user || !(await store.verifyPassword(user.passwordHash, creds.password))) {
    throw new LoginError('That email and password do not match.');
  }
  return {
    id: randomId(),
    userId: user.id,
    shopId: user.shopId,
    role: user.role,
    createdAt: now,
    lastSeenAt: now,
    sharedDevice: creds.sharedDevice ?? false,
  };
}

/** Returns the refreshed session, or undefined when it has expired. */
export function touch(session: Session, now = Date.now()): Session | undefined {
  // GH-388: idle timeout slides with activity instead of counting from login.
  const idle = session.sharedDevice ? SHARED_IDLE_MS : PERSONAL_IDLE_MS;
  if (now - session.lastSeenAt > idle) {
    return undefined;
  }
  return { ...session, lastSeenAt: now };
}

export function canSeeReports(session: Session): boolean {
  return session.role === 'owner' || session.role === 'bookkeeper';
}

function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
