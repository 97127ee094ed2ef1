import { productVersion } from "../cli/package-version";

/** This package's version; the CLI and the routing client of the same release carry the same one (CHANGELOG.md). */
export const PACKAGE_VERSION: string = productVersion();
