import type { PedigreeConfig } from "../config.js";
import type { Logger } from "../lib/logger.js";
import { type IdentityService, systemMeta } from "./identity.service.js";

/**
 * First admin from configuration (PEDIGREE_ADMIN_EMAIL, optionally PEDIGREE_ADMIN_TOKEN): ensures
 * the user and its global ADMIN role, and stores the configured token's hash. Runs on every start;
 * does nothing when already done. Never logs the token.
 */
export async function bootstrapAdminFromConfig(
  identity: IdentityService,
  config: Pick<PedigreeConfig, "adminEmail" | "adminToken">,
  logger: Logger,
): Promise<void> {
  if (!config.adminEmail) {
    if (config.adminToken)
      throw new Error("PEDIGREE_ADMIN_TOKEN is set but PEDIGREE_ADMIN_EMAIL is not: name the admin's e-mail.");
    return;
  }
  let result: Awaited<ReturnType<IdentityService["bootstrapAdmin"]>>;
  try {
    result = await identity.bootstrapAdmin(systemMeta("system:bootstrap"), {
      email: config.adminEmail,
      secret: config.adminToken,
    });
  } catch (error) {
    // A configuration mistake: say which variable, without echoing its value.
    throw new Error(`Cannot bootstrap the first admin: ${(error as Error).message}`);
  }
  if (result.createdUser || result.storedToken) {
    logger.info(
      { email: result.user.email, createdUser: result.createdUser, storedToken: result.storedToken },
      "admin bootstrapped from configuration",
    );
  }
}
