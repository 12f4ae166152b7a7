"use client";

import { Bar, BarChart, type BarShapeProps, CartesianGrid, LabelList, Rectangle, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { CHART_COLOURS } from "@/components/admin/dashboard/chart-colours";
import { formatCount } from "@/components/admin/dashboard/format";

const TICK = { fill: "#334155", fontSize: 12 };

/** Each bar in its own row's colour. */
const ColouredBar = (props: BarShapeProps) => <Rectangle {...props} radius={[0, 4, 4, 0]} fill={(props.payload as { colour?: string } | undefined)?.colour ?? CHART_COLOURS[0]} />;

/**
 * Bars across, one per row, with the count at the end of each: reads on a 375 px phone, where
 * upright bars with long labels would not. Used for the funnel and the channel and source mixes.
 */
export const HorizontalBarChart = ({ data: rows, labelWidth = 110 }: { data: { label: string; value: number; colour?: string }[]; labelWidth?: number }) => {
  const data = rows.map((row) => ({ ...row, colour: row.colour ?? CHART_COLOURS[0] }));
  const height = Math.max(120, data.length * 44 + 24);
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 320, height }}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 64, bottom: 4, left: 4 }} accessibilityLayer={false}>
        <CartesianGrid horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" hide domain={[0, "dataMax"]} />
        <YAxis type="category" dataKey="label" width={labelWidth} tick={TICK} tickLine={false} axisLine={false} />
        <Tooltip cursor={{ fill: "#f1f5f9" }} formatter={(value) => formatCount(Number(value))} />
        <Bar dataKey="value" name="Count" fill={CHART_COLOURS[0]} isAnimationActive={false} shape={ColouredBar}>
          <LabelList dataKey="value" position="right" fill="#0f172a" fontSize={12} formatter={(value) => formatCount(Number(value))} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
};
