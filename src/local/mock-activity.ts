import { teamsRef } from "./clock-platforms.js";
import type { LocalTeamsMeeting } from "./graph.js";
import type { LocalMicrosoft } from "./microsoft.js";
import { teamsPerson } from "./personas.js";
import { meetingStartEnd } from "./teams-events.js";

/** The meeting's start and end events as Agents Playground's custom activity takes them. */
export function mockActivities(microsoft: LocalMicrosoft, m: LocalTeamsMeeting, at: Date) {
  const ref = teamsRef(microsoft, m);
  const pick = (kind: "start" | "end") => {
    const { type, name, channelData, value } = meetingStartEnd(
      kind,
      ref,
      teamsPerson("organizer"),
      "",
      at,
    );
    return { type, name, channelData: { meeting: channelData.meeting }, value };
  };
  return { start: pick("start"), end: pick("end") };
}
