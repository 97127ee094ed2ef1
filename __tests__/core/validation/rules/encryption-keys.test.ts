import { encryptionKeys } from "../../../../core/validation/rules/encryption-keys";
import { ruleTable } from "./rule-table";

const KEY = "arn:aws:kms:us-east-1:111111111111:key/12345678-90ab-cdef-1234-567890abcdef";

ruleTable(encryptionKeys, [
  { name: "AWS managed keys", edit: () => {}, problems: [] },
  { name: "a key created per region", edit: (e) => (e.encryption = { keys: "create" }), problems: [] },
  { name: "an existing key of the region", edit: (e) => (e.encryption = { keys: "existing", keyArns: { "us-east-1": KEY } }), problems: [] },
  { name: "existing keys without the region's", edit: (e) => (e.encryption = { keys: "existing" }), problems: [{ path: "encryption.keyArns.us-east-1", message: /^is missing: keys "existing" needs the key of every region/ }] },
  {
    name: "a key of another region",
    edit: (e) => (e.encryption = { keys: "existing", keyArns: { "us-east-1": KEY.replace("us-east-1", "us-west-2") } }),
    problems: [{ path: "encryption.keyArns.us-east-1", message: "is a key in us-west-2, not us-east-1: KMS keys are regional" }],
  },
  {
    name: "a key of another account",
    edit: (e) => (e.encryption = { keys: "existing", keyArns: { "us-east-1": KEY.replace("111111111111", "222222222222") } }),
    problems: [{ path: "encryption.keyArns.us-east-1", message: "is a key of account 222222222222, not the environment's 111111111111", severity: "warning" }],
  },
  { name: "key ARNs while creating keys", edit: (e) => (e.encryption = { keys: "create", keyArns: { "us-east-1": KEY } }), problems: [{ path: "encryption.keyArns", message: 'are used only with keys "existing" (keys is "create")' }] },
  {
    name: "a key for a region the environment does not have",
    edit: (e) => (e.encryption = { keys: "existing", keyArns: { "us-east-1": KEY, "eu-west-1": KEY.replace("us-east-1", "eu-west-1") } }),
    problems: [{ path: "encryption.keyArns.eu-west-1", message: "eu-west-1 is not one of the environment's regions, so this key is not used", severity: "warning" }],
  },
]);
