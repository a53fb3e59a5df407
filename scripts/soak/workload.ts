import {
  channelToken,
  teamsActivity,
  type botFrameworkFake,
} from "../../test/fakes/botframework.js";
import type { RecordedCall } from "../../test/fakes/http-fake.js";
import type { webexApiFake } from "../../test/fakes/webex-api.js";
import type { Send } from "./proxy.js";

type CardAnswer = { value?: { actions?: { data?: { requestId?: string } }[] } };

/**
 * The soak's organizers: each meeting is scheduled, given its tier and confirmed by card, on Teams
 * (invoke activities) or on Webex (a message, then card actions), through the proxy.
 */
export function workload(deps: {
  bf: Awaited<ReturnType<typeof botFrameworkFake>>;
  webex: ReturnType<typeof webexApiFake>;
  send: Send;
  /** The instances' clock (accelerated). */
  clockNow: () => Date;
  webexUsers: number;
}) {
  const { bf, webex, send, clockNow } = deps;
  /** Japan date and time a few (accelerated) minutes from now, as the schedule card takes them. */
  const soon = () => {
    const at = new Date(clockNow().getTime() + 3 * 60_000 + 9 * 3_600_000).toISOString();
    return { date: at.slice(0, 10), time: at.slice(11, 16) };
  };
  let made = 0;
  const title = (channel: string) => `soak-${channel}${String(++made)}`;
  /** Meetings whose tier answer and confirmation were answered 200: they must be in the log. */
  const confirmed = new Map<string, string>(); // meeting id → title

  let activityN = 0;
  const teamsInvoke = (verb: string, data: Record<string, unknown>) => {
    const activity = teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
      id: `soak:${String(++activityN)}`,
      value: { action: { type: "Action.Execute", title: "x", verb, data }, trigger: "manual" },
    });
    return send("teams", "/api/messages", JSON.stringify(activity), {
      "content-type": "application/json",
      authorization: `Bearer ${channelToken(bf.serviceUrl)}`,
    });
  };

  async function teamsMeeting(): Promise<void> {
    const name = title("t");
    const card = await teamsInvoke("schedule.submit", {
      title: name,
      ...soon(),
      duration: "30",
      service: "teams",
      invitees: "ken.sato@city.example.lg.jp",
    });
    const id = (card.json as CardAnswer).value?.actions?.[0]?.data?.requestId;
    if (card.status !== 200 || !id) return;
    if ((await teamsInvoke("tier.submit", { requestId: id, tier: "II" })).status !== 200) return;
    if ((await teamsInvoke("meeting.confirm", { requestId: id })).status === 200)
      confirmed.set(id, name);
  }

  const webexPeople = Array.from({ length: deps.webexUsers }, (_, i) =>
    webex.addPerson(`soak-${String(i)}@city.example.lg.jp`, `検証 ${String(i)}`),
  );
  const deliverWebex = (body: unknown) => {
    const { raw, signature } = webex.sign(body);
    return send("webex", "/api/webex", raw, {
      "content-type": "application/json",
      "x-spark-signature": signature,
    });
  };
  /** The newest card the bot posted to this person since `from` that offers `verb`. */
  const cardTo = (person: (typeof webexPeople)[number], room: string, from: number, verb: string) =>
    webex
      .posted()
      .slice(from)
      .filter((c) => {
        const j = c.json as {
          toPersonEmail?: string;
          roomId?: string;
          attachments?: { content?: { actions?: { data?: { verb?: string } }[] } }[];
        };
        return (
          (j.toPersonEmail === person.emails[0] || j.roomId === room) &&
          (j.attachments?.[0]?.content?.actions ?? []).some((a) => a.data?.verb === verb)
        );
      })
      .at(-1);

  async function webexMeeting(person: (typeof webexPeople)[number]): Promise<void> {
    const name = title("w");
    let from = webex.posted().length;
    const hello = webex.say(person, "予約");
    const room = String((hello.data as { roomId?: string }).roomId);
    if ((await deliverWebex(hello)).status !== 200) return;
    const press = async (
      message: RecordedCall | undefined,
      inputs: Record<string, unknown>,
      expect: string,
    ) => {
      if (!message) return undefined;
      from = webex.posted().length;
      const res = await deliverWebex(webex.press(person, webex.idOf(message), inputs));
      return res.status === 200 ? cardTo(person, room, from, expect) : undefined;
    };
    const tierCard = await press(
      cardTo(person, room, from, "schedule.submit"),
      {
        verb: "schedule.submit",
        title: name,
        ...soon(),
        duration: "30",
        service: "webex",
        invitees: "",
      },
      "tier.submit",
    );
    const id = (tierCard?.json as { attachments?: { content: CardAnswer["value"] }[] } | undefined)
      ?.attachments?.[0]?.content?.actions?.[0]?.data?.requestId;
    if (!id) return;
    const verdict = await press(
      tierCard,
      { verb: "tier.submit", requestId: id, tier: "II" },
      "meeting.confirm",
    );
    if (!verdict) return;
    const ok = await deliverWebex(
      webex.press(person, webex.idOf(verdict), { verb: "meeting.confirm", requestId: id }),
    );
    if (ok.status === 200) confirmed.set(id, name);
  }

  return { teamsMeeting, webexMeeting, webexPeople, confirmed, started: () => made };
}
