"use client";

import { createContext, type ReactNode, useContext } from "react";

type TClientBrand = { name: string; logoUrl: string | null };

const BrandContext = createContext<TClientBrand>({ name: "", logoUrl: null });

/** The platform's name and logo for client components that render without a server page around them (the error page). */
export const BrandProvider = ({ brand, children }: { brand: TClientBrand; children: ReactNode }) => <BrandContext.Provider value={brand}>{children}</BrandContext.Provider>;

export const useBrand = () => useContext(BrandContext);
