/**
 * Staff directory for shops on the Business plan: who has access to what.
 */

export interface StaffMember {
  id: string;
  shopId: string;
  email: string;
  role: 'owner' | 'staff' | 'bookkeeper';
  active: boolean;
  lastLoginAt?: Date;
}

export class StaffDirectory {
  private members = new Map<string, StaffMember>();

  add(member: StaffMember): void {
    this.members.set(member.id, member);
  }

  forShop(shopId: string): StaffMember[] {
    return [...this.members.values()].filter((m) => m.shopId === shopId);
  }

  // @why A-3
  // Today this only removes Acme Shop access; the till PIN and the email
  // alias are separate tools (see the leaver checklist).
  deactivate(id: string): StaffMember | undefined {
    const member = this.members.get(id);
    if (!member) return undefined;
    const updated = { ...member, active: false };
    this.members.set(id, updated);
    return updated;
  }

  dormant(since: Date): StaffMember[] {
    return [...this.members.values()].filter((m) => m.active && (!m.lastLoginAt || m.lastLoginAt < since));
  }
}
