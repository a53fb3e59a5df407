import { KaigiError } from "../errors.js";
import type { MeetingState } from "./state.js";

export class IllegalTransitionError extends KaigiError {
  constructor(event: string, state: MeetingState, why = "not allowed in this state") {
    super("ILLEGAL_TRANSITION", `${event} in state ${state}: ${why}`, { event, state });
  }
}

/** KSS 第2章1(11)ア: the one who asks cannot be the one who approves. */
export class SelfApprovalError extends KaigiError {
  constructor(meetingId: string) {
    super(
      "SELF_APPROVAL_FORBIDDEN",
      "the requester cannot approve their own request (KSS 第2章1(11)ア)",
      {
        meetingId,
        cite: "KSS 第2章1(11)ア",
      },
    );
  }
}

export class ApprovalNotPendingError extends KaigiError {
  constructor(kind: string) {
    super("APPROVAL_NOT_PENDING", `no pending approval of kind ${kind}`, { kind });
  }
}

export class CleanupItemUnknownError extends KaigiError {
  constructor(itemId: string) {
    super("CLEANUP_ITEM_UNKNOWN", `no cleanup item ${itemId} on this meeting`, { itemId });
  }
}

/** Only the organizer may answer the organizer's cards (the sender as authenticated). */
export class NotOrganizerError extends KaigiError {
  constructor(event: string) {
    super("NOT_ORGANIZER", `${event} may only be done by the meeting's organizer`, { event });
  }
}
