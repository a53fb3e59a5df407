import { z } from "zod";
import { JsonClient, defaultRetry, type RetryPolicy, type Sleep } from "../../platform/http.js";

const webhookSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  targetUrl: z.string(),
  resource: z.string(),
  event: z.string(),
  filter: z.string().optional(),
  status: z.string().optional(),
});
export type Webhook = z.infer<typeof webhookSchema>;

const messageSchema = z.object({ id: z.string().min(1) });

/** The bot's own Webex REST calls (messages, webhooks), with its token; retries honour Retry-After. */
export class WebexApi {
  private readonly http: JsonClient;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    retry: RetryPolicy = defaultRetry,
    sleep?: Sleep,
  ) {
    this.http = new JsonClient("webex", retry, sleep);
  }

  private get headers() {
    return { authorization: `Bearer ${this.token}` };
  }

  /** A card to one person (their direct space with the bot), with a text fallback. */
  async sendCard(
    to: { toPersonEmail: string } | { roomId: string },
    markdown: string,
    card: Record<string, unknown>,
  ): Promise<string> {
    const sent = await this.http.request({
      method: "POST",
      url: `${this.baseUrl}/messages`,
      headers: this.headers,
      body: {
        ...to,
        markdown,
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }],
      },
      schema: messageSchema,
    });
    return sent.id;
  }

  async listWebhooks(): Promise<Webhook[]> {
    const list = await this.http.request({
      method: "GET",
      url: `${this.baseUrl}/webhooks?max=100`,
      headers: this.headers,
      schema: z.object({ items: z.array(webhookSchema) }),
    });
    return list.items;
  }

  async createWebhook(hook: Omit<Webhook, "id" | "status"> & { secret: string }): Promise<Webhook> {
    return this.http.request({
      method: "POST",
      url: `${this.baseUrl}/webhooks`,
      headers: this.headers,
      body: hook,
      schema: webhookSchema,
    });
  }

  async updateWebhook(id: string, hook: { name: string; targetUrl: string; secret: string }) {
    return this.http.request({
      method: "PUT",
      url: `${this.baseUrl}/webhooks/${encodeURIComponent(id)}`,
      headers: this.headers,
      body: { ...hook, status: "active" },
      schema: webhookSchema,
    });
  }
}
