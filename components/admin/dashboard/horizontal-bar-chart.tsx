"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { formatCount } from "@/components/admin/dashboard/format";

// Tailwind's blue-700, teal-700, violet-700, amber-700, slate-600, rose-700: each ≥ 4.5:1 on white.
export const CHART_COLOURS = ["#1d4ed8", "#0f766e", "#6d28d9", "#b45309", "#475569", "#be123c"] as const;

const TICK = { fill: "#334155", fontSize: 12 };

/**
 * Bars across, one per row, with the count at the end of each: reads on a 375 px phone, where
 * upright bars with long labels would not. Used for the funnel and the channel and source mixes.
 */
export const HorizontalBarChart = ({ data, labelWidth = 110 }: { data: { label: string; value: number; colour?: string }[]; labelWidth?: number }) => (
  <ResponsiveContainer width="100%" height={Math.max(120, data.length * 44 + 24)} initialDimension={{ width: 320, height: Math.max(120, data.length * 44 + 24) }}>
    <BarChart data={data} layout="vertical" margin={{ top: 4, right: 64, bottom: 4, left: 4 }} accessibilityLayer={false}>
      <CartesianGrid horizontal={false} stroke="#e2e8f0" />
      <XAxis type="number" hide domain={[0, "dataMax"]} />
      <YAxis type="category" dataKey="label" width={labelWidth} tick={TICK} tickLine={false} axisLine={false} />
      <Tooltip cursor={{ fill: "#f1f5f9" }} formatter={(value) => formatCount(Number(value))} />
      <Bar dataKey="value" name="Count" radius={[0, 4, 4, 0]} isAnimationActive={false}>
        {data.map((row, index) => (
          <Cell key={row.label} fill={row.colour ?? CHART_COLOURS[0]} data-index={index} />
        ))}
        <LabelList dataKey="value" position="right" fill="#0f172a" fontSize={12} formatter={(value) => formatCount(Number(value))} />
      </Bar>
    </BarChart>
  </ResponsiveContainer>
);
