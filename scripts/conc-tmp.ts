import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { bedrockRuntimeClient } from "../client/aws-clients";
import { startLocalEndpoint } from "../local/endpoint";
(async () => {
  for (const verify of [true, false]) for (const text of [10, 4000]) {
  const ep = await startLocalEndpoint({ verifySignatures: verify });
  const c = bedrockRuntimeClient({ region: "us-east-1", endpointUrl: ep.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const send = () => c.send(new ConverseCommand({ modelId: "us.x", messages: [{ role: "user", content: [{ text: "q".repeat(text) }] }], inferenceConfig: { maxTokens: 512 } }));
  for (let i = 0; i < 50; i++) await send();
  let t = Date.now();
  for (let i = 0; i < 300; i++) await send();
  const seq = (Date.now() - t) / 300;
  t = Date.now();
  await Promise.all(Array.from({ length: 300 }, () => send()));
  console.log({ verify, text, seqMsPerCall: seq, parallelMsPerCall: (Date.now() - t) / 300 });
  c.destroy(); await ep.close();
  }
})();
