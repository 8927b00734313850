import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "../components/app-header";
import { AuthBanner } from "../components/auth-banner";
import { apiWebSocketUrl } from "./api-url";
import { AppProviders } from "./app-providers";
import "./globals.css";

// The WebSocket URL comes from the environment of `next start`, not of `next build`.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Pedigree explorer",
  description: "Lineage, provenance and impact of ML datasets, runs, models and deployments",
};

export default function RootLayout(props: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <AppProviders wsUrl={apiWebSocketUrl()}>
          <AppHeader />
          <AuthBanner />
          <main id="main" tabIndex={-1}>
            {props.children}
          </main>
        </AppProviders>
      </body>
    </html>
  );
}
