import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { z } from "zod";

/**
 * A typed wrapper around webex-node-bot-framework 2.3.14 (CommonJS, no types). The framework
 * keeps the bot's identity, registers its firehose webhooks at start (replacing its own, so a
 * restart is idempotent), fetches the message or card action a webhook names and the person who
 * sent it. We verify every webhook's signature over the raw body before it gets here, so the
 * framework is given no secret to check (its own check re-serializes the body).
 */

interface Person {
  id: string;
  emails: string[];
  displayName?: string;
  orgId?: string;
}

interface Trigger {
  type: "message" | "attachmentAction";
  id: string;
  text?: string;
  message?: { id: string; roomId: string; roomType?: string; text?: string };
  attachmentAction?: { id: string; messageId: string; roomId: string; inputs?: unknown };
  person: Person;
}

interface FrameworkInstance extends EventEmitter {
  start(): Promise<void>;
  stop(): Promise<void>;
  initialized: boolean;
  email: string;
  person: Person;
  webhook?: { name: string } | false;
  cardsWebhook?: { name: string } | false;
}

type FrameworkConstructor = new (options: Record<string, unknown>) => FrameworkInstance;
type ProcessEvent = (framework: FrameworkInstance, body: unknown) => Promise<unknown>;

/** What reaches the conversation: who (as Webex authenticated them) said or pressed what. */
export type WebexInbound =
  | {
      kind: "message";
      id: string;
      roomId: string;
      text: string;
      person: { email: string; orgId: string; displayName?: string };
    }
  | {
      kind: "action";
      id: string;
      messageId: string;
      roomId: string;
      inputs: Record<string, unknown>;
      person: { email: string; orgId: string; displayName?: string };
    };

const personOf = (p: Person) => ({
  email: (p.emails[0] ?? "").toLowerCase(),
  orgId: p.orgId ?? "",
  ...(p.displayName ? { displayName: p.displayName } : {}),
});

const inputsSchema = z.record(z.string(), z.unknown());

export interface WebexFrameworkOptions {
  token: string;
  /** Where Webex posts; the framework names its webhooks after this URL's host and the bot. */
  webhookUrl: string;
  /** Registered with the webhooks so Webex signs every delivery (we check it, not the framework). */
  webhookSecret: string;
  /** Webex REST base: the SDK reads it (HYDRA_SERVICE_URL) when first loaded. */
  apiUrl: string;
  onInbound: (event: WebexInbound) => Promise<void>;
  onError: (error: unknown) => void;
}

export class WebexFramework {
  private constructor(
    private readonly framework: FrameworkInstance,
    private readonly processEvent: ProcessEvent,
    private readonly inFlight: Set<Promise<void>>,
  ) {}

  /** Loads the SDK pointed at `apiUrl`, starts the framework and waits until it is ready. */
  static async start(options: WebexFrameworkOptions): Promise<WebexFramework> {
    process.env.HYDRA_SERVICE_URL ??= `${options.apiUrl}/`;
    // The SDK logs to stdout at trace level under NODE_ENV=test; errors are enough.
    process.env.WEBEX_LOG_LEVEL ??= "error";
    const require = createRequire(import.meta.url);
    const Framework = require("webex-node-bot-framework") as FrameworkConstructor;
    const processEvent = require("webex-node-bot-framework/lib/process-event") as ProcessEvent;
    const framework = new Framework({
      token: options.token,
      webhookUrl: options.webhookUrl,
      webhookSecret: options.webhookSecret,
      removeWebhooksOnStart: false,
      messageFormat: "markdown",
    });
    const inFlight = new Set<Promise<void>>();
    const handle = (event: WebexInbound) => {
      const done = options.onInbound(event).catch(options.onError);
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    };
    framework.on("message", (_bot: unknown, trigger: Trigger) => {
      if (!trigger.message) return;
      handle({
        kind: "message",
        id: trigger.message.id,
        roomId: trigger.message.roomId,
        text: trigger.text ?? "",
        person: personOf(trigger.person),
      });
    });
    framework.on("attachmentAction", (_bot: unknown, trigger: Trigger) => {
      const action = trigger.attachmentAction;
      if (!action) return;
      handle({
        kind: "action",
        id: action.id,
        messageId: action.messageId,
        roomId: action.roomId,
        inputs: inputsSchema.safeParse(action.inputs).data ?? {},
        person: personOf(trigger.person),
      });
    });
    const ready = new Promise<void>((resolve) => {
      framework.once("initialized", () => {
        resolve();
      });
    });
    await framework.start();
    await ready;
    // start() resolves before the framework's webhooks are (re)created, and until they are it
    // ignores every delivery (it does not know their name yet) — which would be answered 200.
    // Found by the soak: a restarted instance lost webhooks this way. Wait for both.
    const registered = (w: { name?: string } | false | undefined) =>
      w !== false && Boolean(w?.name);
    for (
      let waited = 0;
      !registered(framework.webhook) || !registered(framework.cardsWebhook);
      waited += 50
    ) {
      if (waited >= 30_000) throw new Error("the Webex framework did not register its webhooks");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return new WebexFramework(framework, processEvent, inFlight);
  }

  /** The name the framework gave its webhooks; Webex sends it back in every delivery. */
  get webhookName(): string | undefined {
    return this.framework.webhook ? this.framework.webhook.name : undefined;
  }

  get botEmail(): string {
    return this.framework.email;
  }

  /** Hands a verified webhook body to the framework (messages, card actions, memberships). */
  async process(body: unknown): Promise<void> {
    await this.processEvent(this.framework, body);
    // The framework emits and moves on; answer the webhook once our handling is done.
    await Promise.all([...this.inFlight]);
  }

  async stop(): Promise<void> {
    await this.framework.stop();
  }
}
