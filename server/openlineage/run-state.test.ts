import { describe, expect, it } from "vitest";
import { foldRunState } from "./run-state.js";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe("foldRunState", () => {
  it("gives the same state for every arrival order of START, RUNNING and COMPLETE", () => {
    const events = [
      { eventType: "START", eventTime: at(0) },
      { eventType: "RUNNING", eventTime: at(1) },
      { eventType: "COMPLETE", eventTime: at(5) },
      { eventType: "OTHER", eventTime: at(9) },
    ];
    const expected = { status: "COMPLETED", startedAt: at(0), endedAt: at(5) };
    expect(foldRunState(events)).toEqual(expected);
    expect(foldRunState([...events].reverse())).toEqual(expected);
    expect(foldRunState([events[2]!, events[0]!, events[3]!, events[1]!])).toEqual(expected);
  });

  it("keeps a terminal state against a later RUNNING event, and lets the later terminal event win", () => {
    expect(
      foldRunState([
        { eventType: "FAIL", eventTime: at(3) },
        { eventType: "RUNNING", eventTime: at(4) },
      ]).status,
    ).toBe("FAILED");
    const both = [
      { eventType: "FAIL", eventTime: at(3) },
      { eventType: "COMPLETE", eventTime: at(7) },
    ];
    expect(foldRunState(both)).toMatchObject({ status: "COMPLETED", endedAt: at(7) });
    expect(foldRunState([...both].reverse())).toMatchObject({ status: "COMPLETED", endedAt: at(7) });
  });

  it("is PENDING with only OTHER events and RUNNING once started", () => {
    expect(foldRunState([{ eventType: "OTHER", eventTime: at(0) }])).toEqual({
      status: "PENDING",
      startedAt: null,
      endedAt: null,
    });
    expect(foldRunState([{ eventType: "START", eventTime: at(2) }])).toEqual({
      status: "RUNNING",
      startedAt: at(2),
      endedAt: null,
    });
  });
});
