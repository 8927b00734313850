"use client";

import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/**
 * One uPlot canvas that follows its container's width and the theme. uPlot is loaded on first use
 * (a dynamic import), so pages without charts — the lineage explorer — do not ship it.
 * `buildOptions` turns the theme's colours (CSS custom properties, read when the chart is made)
 * into uPlot options; the chart is rebuilt when the options builder, the data or the theme change.
 */
export function UPlotChart(props: {
  buildOptions: (colors: (cssVar: string) => string, width: number) => uPlot.Options;
  data: uPlot.AlignedData;
  /** Chart height in CSS pixels (plot + axes). */
  height: number;
}) {
  const { buildOptions, data, height } = props;
  const container = useRef<HTMLDivElement>(null);
  const [theme, setTheme] = useState(0);

  // The theme toggle sets html[data-theme]; the system theme changes prefers-color-scheme.
  useEffect(() => {
    const bump = () => setTheme((value) => value + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", bump);
    return () => {
      observer.disconnect();
      media.removeEventListener("change", bump);
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: theme is read through getComputedStyle; its change must rebuild.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let chart: uPlot | null = null;
    let cancelled = false;
    let resize: ResizeObserver | null = null;
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const style = getComputedStyle(element);
      const colors = (cssVar: string) => style.getPropertyValue(cssVar).trim() || "#888";
      const width = Math.max(element.clientWidth, 200);
      chart = new UPlot({ ...buildOptions(colors, width), width, height }, data, element);
      resize = new ResizeObserver(() => chart?.setSize({ width: Math.max(element.clientWidth, 200), height }));
      resize.observe(element);
    });
    return () => {
      cancelled = true;
      resize?.disconnect();
      chart?.destroy();
    };
  }, [buildOptions, data, height, theme]);

  return <div ref={container} className="uplot-host" aria-hidden="true" />;
}
