import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformUnavailable } from "../../cli/terraform";

describe("terraformUnavailable (what npm run diff/deploy checks first)", () => {
  const dir = mkdtempSync(join(tmpdir(), "bedrock-tf-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says terraform is not on PATH when it is not", () => {
    expect(terraformUnavailable({ PATH: dir })).toBe("terraform is not on PATH");
  });

  it("says why a terraform that cannot run fails, and nothing when it works", () => {
    const bin = join(dir, "terraform");
    writeFileSync(bin, "#!/bin/sh\necho 'broken install' >&2\nexit 3\n");
    chmodSync(bin, 0o755);
    expect(terraformUnavailable({ PATH: `${dir}:/bin:/usr/bin` })).toBe("terraform version exited with 3: broken install");
    writeFileSync(bin, "#!/bin/sh\necho 'Terraform v1.9.8'\n");
    expect(terraformUnavailable({ PATH: `${dir}:/bin:/usr/bin` })).toBeUndefined();
  });
});
