import { ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { bedrockRuntimeClient } from "./client/aws-clients";
import { AppConfigClient, ListApplicationsCommand } from "@aws-sdk/client-appconfig";
const c = bedrockRuntimeClient({ region: "us-east-1", endpointUrl: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const dump = (e: any, d = 0): void => { if (!e || d > 4) return; console.log(" ".repeat(d*2), e.constructor?.name, JSON.stringify({ name: e.name, code: e.code, message: e.message?.slice(0,200), keys: Object.keys(e) })); dump(e.cause, d + 1); if (Array.isArray(e.errors)) e.errors.forEach((x: any) => dump(x, d + 1)); };
(async () => {
  for (const cmd of [new ConverseCommand({ modelId: "m", messages: [{ role: "user", content: [{ text: "x" }] }] }), new ConverseStreamCommand({ modelId: "m", messages: [{ role: "user", content: [{ text: "x" }] }] })]) {
    try { await c.send(cmd as any); } catch (e) { dump(e); }
  }
  const a = new AppConfigClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  try { await a.send(new ListApplicationsCommand({})); } catch (e) { dump(e); }
  const n = bedrockRuntimeClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } , endpointUrl: "http://nonexistent.invalid:80"});
  try { await n.send(new ConverseCommand({ modelId: "m", messages: [{ role: "user", content: [{ text: "x" }] }] })); } catch (e) { dump(e); }
  c.destroy(); a.destroy(); n.destroy();
})();
