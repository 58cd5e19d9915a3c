/** A WorkOS session as `userManagement.listSessions` returns it (the fields used here). */
export interface WorkosSessionSummary {
  readonly id: string;
  readonly userId: string;
  readonly organizationId?: string;
  readonly status: string;
  /** When WorkOS created the session (ISO 8601): an MFA event grants only the session it established. */
  readonly createdAt: string;
}

/** The slice of a `@workos-inc/node` `WorkOS` client the webhook handler uses. */
export interface WebhookWorkosClient {
  readonly webhooks: {
    constructEvent(input: { payload: string; sigHeader: string; secret: string; tolerance?: number }): Promise<unknown>;
  };
  readonly userManagement: {
    listSessions(userId: string): Promise<{ autoPagination(): Promise<readonly WorkosSessionSummary[]> }>;
  };
}

/** The slice of a `@workos-inc/node` `WorkOS` client that factor removal uses. */
export interface FactorWorkosClient {
  readonly multiFactorAuth: {
    listUserAuthFactors(options: {
      userId: string;
    }): Promise<{ autoPagination(): Promise<ReadonlyArray<{ readonly id: string }>> }>;
    deleteFactor(id: string): Promise<void>;
  };
  readonly userManagement: WebhookWorkosClient['userManagement'];
}
