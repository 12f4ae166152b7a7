"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { formatCount } from "@/components/admin/dashboard/format";

const TICK = { fill: "#334155", fontSize: 12 };
const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const dayLabel = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`));

/** Objections per day (UTC), oldest first. */
export const DailyAreaChart = ({ data }: { data: { day: string; objections: number }[] }) => (
  <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 320, height: 220 }}>
    <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
      <CartesianGrid vertical={false} stroke="#e2e8f0" />
      <XAxis dataKey="day" tickFormatter={dayLabel} tick={TICK} minTickGap={24} tickLine={false} />
      <YAxis allowDecimals={false} tick={TICK} width={48} tickLine={false} axisLine={false} tickFormatter={(value: number) => formatCount(value)} />
      <Tooltip labelFormatter={(label) => dayLabel(String(label))} formatter={(value) => formatCount(Number(value))} />
      <Area type="linear" dataKey="objections" name="Objections" stroke="#1d4ed8" fill="#bfdbfe" strokeWidth={2} isAnimationActive={false} />
    </AreaChart>
  </ResponsiveContainer>
);
