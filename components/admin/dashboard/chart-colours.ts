// Tailwind's blue-700, teal-700, violet-700, amber-700, slate-600, rose-700: each ≥ 4.5:1 on white.
// A plain module, not the chart's: a server component that imports a value from a "use client"
// file gets a client reference, not the array.
export const CHART_COLOURS = ["#1d4ed8", "#0f766e", "#6d28d9", "#b45309", "#475569", "#be123c"] as const;
