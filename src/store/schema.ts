import type { Generated } from "kysely";

/** The tables, as Kysely sees them. Times are ISO 8601 UTC strings with milliseconds. */
export interface Tables {
  tenants: { id: string; name: string; policy_ref: string; created_at: string };
  meetings: {
    tenant_id: string;
    id: string;
    state: string;
    organizer_id: string;
    starts_at: string | null;
    data: string;
    version: number;
    updated_at: string;
  };
  processed_events: { tenant_id: string; event_id: string; at: string };
  participants: {
    tenant_id: string;
    meeting_id: string;
    person_id: string;
    display_name: string | null;
    invited: number;
    joined_at: string | null;
    left_at: string | null;
  };
  consent_answers: {
    id: Generated<number>;
    tenant_id: string;
    meeting_id: string;
    person_id: string;
    answer: string;
    card_version: number;
    at: string;
  };
  devices: { tenant_id: string; id: string; label: string; department: string; retired: number };
  device_uses: {
    id: Generated<number>;
    tenant_id: string;
    device_id: string;
    meeting_id: string | null;
    department: string;
    user_name: string;
    used_from: string;
    used_to: string | null;
  };
  approvals: {
    tenant_id: string;
    meeting_id: string;
    kind: string;
    status: string;
    requested_by: string;
    requested_at: string;
    decided_by: string | null;
    decided_at: string | null;
    reason: string | null;
  };
  cleanup_items: {
    tenant_id: string;
    meeting_id: string;
    item_id: string;
    done: number;
    confirmed_by: string | null;
    confirmed_at: string | null;
  };
  log_entries: {
    tenant_id: string;
    seq: number;
    meeting_id: string | null;
    actor: string;
    action: string;
    payload: string;
    sensitive_hash: string | null;
    at: string;
    prev_hash: string;
    hash: string;
  };
  log_sensitive: { tenant_id: string; seq: number; salt: string; data: string };
  log_heads: { tenant_id: string; seq: number; hash: string };
  verdict_texts: { tenant_id: string; id: string; ja: string; en: string };
  verdicts: { tenant_id: string; id: string; data: string };
  log_checkpoints: { tenant_id: string; seq: number; hash: string; at: string; signature: string };
  outbox: {
    id: Generated<number>;
    tenant_id: string;
    idempotency_key: string;
    kind: string;
    payload: string;
    state: string;
    attempts: number;
    next_attempt_at: string;
    locked_until: string | null;
    last_error: string | null;
    created_at: string;
    delivered_at: string | null;
  };
  timers: {
    id: Generated<number>;
    tenant_id: string;
    key: string;
    meeting_id: string | null;
    kind: string;
    payload: string;
    run_at: string;
    attempts: number;
    locked_by: string | null;
    locked_until: string | null;
    last_error: string | null;
  };
  conversations: {
    tenant_id: string;
    person_id: string;
    channel: string;
    reference: string;
    updated_at: string;
  };
  admin_accounts: {
    tenant_id: string;
    email: string;
    password_hash: string;
    created_at: string;
    /** The platform identity (e.g. `aad:<object id>`) this admin answers approvals as. */
    identity: string | null;
  };
  tenant_policy_layers: {
    tenant_id: string;
    version: number;
    source: string;
    sha256: string;
    uploaded_by: string;
    uploaded_at: string;
  };
  admin_sessions: {
    id_hash: string;
    tenant_id: string;
    email: string;
    csrf: string;
    expires_at: string;
  };
  sent_cards: {
    tenant_id: string;
    message_id: string;
    addressee: string;
    meeting_id: string | null;
    sent_at: string;
  };
  meeting_links: { tenant_id: string; kind: string; external_id: string; meeting_id: string };
  graph_subscriptions: {
    tenant_id: string;
    person_id: string;
    subscription_id: string;
    client_state: string;
    resource: string;
    expires_at: string;
    updated_at: string;
  };
}
