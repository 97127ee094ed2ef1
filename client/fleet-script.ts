import { createHash } from "node:crypto";

/*
 * The one Lua script the fleet runs in the store (EVALSHA; EVAL once when the server does not hold it yet:
 * https://redis.io/docs/latest/develop/programmability/eval-intro/). A script runs atomically, so every instance's
 * update and the state it reads back are one step. One hash per model and Region (KEYS[1]) holds:
 *   _lvl, _rlvl, _lat  the model's token (and request) bucket as Bedrock keeps it: full when first seen, refilled
 *                      continuously at one quota per period up to one quota, taken by reservations and leases, given
 *                      back by corrections and refusals, emptied by a throttle; and when it was last brought up to date
 *   t<slot>, r<slot>   tokens and requests reserved and charged in each slot of the trailing quota period; a slot is a
 *                      twentieth of the period and lapses one period after it ends (HDEL on the next update): what
 *                      the fleet had in play over the period, which a throttle turns into a learned quota
 *   L<instance>        a lease: "tokens:requests:expiresAt", room an instance took from the bucket ahead of its next
 *                      calls; one not renewed in time goes back to the bucket
 *   _lq, _lqat         a quota learned from throttles (no document quota): tokens per period, and since when
 *   _bu, _bp, _bg      a breaker opening: until when, which instance probes, and its generation
 * The hash expires after the learned-quota lapse plus two periods without an update. Numbers only: never a prompt,
 * an answer, a user or a host name.
 */

/** Slots per quota period (3 s of a minute). */
export const SLOTS = 20;

export const FLEET_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local minute = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local rpm = tonumber(ARGV[4])
local me = ARGV[5]
local leaseTtl = tonumber(ARGV[6])
local lapse = tonumber(ARGV[7])
local need = tonumber(ARGV[8])
local SLOTS = ${SLOTS}
local slotMs = minute / SLOTS
local cur = math.floor(now / slotMs)
local oldest = cur - SLOTS
local function s(x) return string.format('%.17g', x) end

local raw = redis.call('HGETALL', key)
local tok, req, lease, f, set, del = {}, {}, {}, {}, {}, {}
local function drop(name) del[name] = true; set[name] = nil end
local function put(name, v) set[name] = v; del[name] = nil; f[name] = v end
local expired = {}
for i = 1, #raw, 2 do
  local name, v = raw[i], raw[i + 1]
  local c = string.sub(name, 1, 1)
  if c == 't' or c == 'r' then
    local slot = tonumber(string.sub(name, 2))
    if slot == nil or slot < oldest then drop(name)
    elseif c == 't' then tok[slot] = tonumber(v) else req[slot] = tonumber(v) end
  elseif c == 'L' then
    local lt, lr, exp = string.match(v, '^([^:]+):([^:]+):([^:]+)$')
    if exp == nil then drop(name)
    elseif tonumber(exp) <= now then drop(name); expired[#expired + 1] = { t = tonumber(lt), r = tonumber(lr) }
    else lease[string.sub(name, 2)] = { t = tonumber(lt), r = tonumber(lr), exp = tonumber(exp) } end
  else f[name] = v end
end
local function num(name) return tonumber(f[name] or '0') or 0 end
local function sum(t) local x = 0; for _, v in pairs(t) do x = x + v end; return x end

-- The quota in force: the document's, else one learned from a throttle that has not lapsed.
local lim, learned = tpm, 0
if lim <= 0 then
  lim = 0
  if num('_lq') > 0 and now - num('_lqat') < lapse then lim = num('_lq'); learned = 1 end
end
-- Bedrock's buckets (tokens and, with a requests quota, requests): full when first seen, refilling continuously at
-- one quota per period up to one quota; a reservation or a lease takes from them, a correction or a refusal gives back.
-- Time only moves forward here: an instance whose clock is a little behind the last one's refills nothing.
local lat = num('_lat')
local elapsed = math.max(0, now - lat)
local lvl, rlvl = 0, 0
if lim > 0 then
  if f['_lvl'] == nil then lvl = lim else lvl = math.min(lim, num('_lvl') + elapsed * lim / minute) end
else drop('_lvl') end
if rpm > 0 then
  if f['_rlvl'] == nil then rlvl = rpm else rlvl = math.min(rpm, num('_rlvl') + elapsed * rpm / minute) end
else drop('_rlvl') end
-- Leases of instances that stopped renewing them go back to the pool.
for _, l in ipairs(expired) do lvl = lvl + l.t; rlvl = rlvl + l.r end

local function writeLease(who)
  local l = lease[who]
  if l == nil or (l.t <= 0 and l.r <= 0) then lease[who] = nil; drop('L' .. who)
  else put('L' .. who, s(l.t) .. ':' .. s(l.r) .. ':' .. s(l.exp)) end
end
local function addSlot(t, prefix, slot, v) t[slot] = (t[slot] or 0) + v; put(prefix .. s(slot), s(t[slot])) end
local function open(untilMs) put('_bu', s(untilMs)); put('_bp', me); put('_bg', s(num('_bg') + 1)) end

if lease[me] then lease[me].exp = now + leaseTtl; writeLease(me) end
local granted = -1
local i = 9
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'C' then
    local t, lt, lr = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]); i = i + 4
    addSlot(tok, 't', cur, t); addSlot(req, 'r', cur, 1)
    local l = lease[me]
    if l == nil then lt, lr = 0, 0 else lt = math.min(lt, l.t); lr = math.min(lr, l.r); l.t = l.t - lt; l.r = l.r - lr; writeLease(me) end
    lvl = lvl - (t - lt); rlvl = rlvl - (1 - lr)
  elseif op == 'S' then
    local slot, reserved, charged = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]); i = i + 4
    if tok[slot] ~= nil then addSlot(tok, 't', slot, charged - reserved) end
    lvl = lvl - (charged - reserved)
  elseif op == 'R' then
    local slot, reserved = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]); i = i + 3
    if tok[slot] ~= nil then addSlot(tok, 't', slot, -reserved) end
    if req[slot] ~= nil then addSlot(req, 'r', slot, -1) end
    lvl = lvl + reserved; rlvl = rlvl + 1
  elseif op == 'T' then
    local t = tonumber(ARGV[i + 1]); i = i + 2
    if tpm <= 0 then
      -- Learned: what the fleet had in play over the trailing period, at least 12 of these reservations.
      lim = math.max(sum(tok), 12 * t); learned = 1
      put('_lq', s(lim)); put('_lqat', s(now))
    end
    -- The pool is empty now, whatever anyone held: leases are void, nothing of them comes back.
    for who in pairs(lease) do drop('L' .. who) end
    lease = {}
    lvl = math.min(lvl, 0); rlvl = math.min(rlvl, 0)
  elseif op == 'W' then
    local wt, wr = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]); i = i + 3
    if lim > 0 then
      local l = lease[me] or { t = 0, r = 0, exp = now + leaseTtl }
      local at, ar = math.max(0, wt - l.t), 0
      if rpm > 0 then ar = math.max(0, wr - l.r) end
      if lvl >= at and (ar == 0 or rlvl >= ar) then
        l.t = l.t + at; l.r = l.r + ar; l.exp = now + leaseTtl; lease[me] = l; writeLease(me)
        lvl = lvl - at; rlvl = rlvl - ar; granted = 1
      else granted = 0 end
    end
  elseif op == 'X' then
    i = i + 1
    if lease[me] then lvl = lvl + lease[me].t; rlvl = rlvl + lease[me].r; lease[me] = nil; drop('L' .. me) end
  elseif op == 'O' then
    local untilMs = tonumber(ARGV[i + 1]); i = i + 2
    if num('_bu') <= now or f['_bp'] == me then open(untilMs) end
  elseif op == 'K' then
    i = i + 1
    if num('_bu') > 0 and (f['_bp'] == me or num('_bu') <= now) then drop('_bu'); drop('_bp'); f['_bu'] = nil; f['_bp'] = nil end
  elseif op == 'Y' then
    i = i + 1
  else
    return redis.error_reply('ERR fleet script: unknown op ' .. tostring(op))
  end
end
if lim > 0 then put('_lvl', s(lvl)) end
if rpm > 0 then put('_rlvl', s(rlvl)) end
if lim > 0 or rpm > 0 then put('_lat', s(math.max(now, lat))) end

local names = {}
for name in pairs(del) do names[#names + 1] = name end
if #names > 0 then redis.call('HDEL', key, unpack(names)) end
local kv = {}
for name, v in pairs(set) do kv[#kv + 1] = name; kv[#kv + 1] = v end
if #kv > 0 then redis.call('HSET', key, unpack(kv)) end
redis.call('PEXPIRE', key, math.floor(lapse + 2 * minute))

-- When the bucket holds a typical call again.
local roomAt = 0
if lim > 0 then
  roomAt = now
  local want = math.max(need, 1)
  if lvl < want then roomAt = now + (want - lvl) * minute / lim end
end
-- What the fleet took lately (this slot and the one before): how fast a view goes stale.
local recent = 0
for slot, v in pairs(tok) do if slot >= cur - 1 and v > 0 then recent = recent + v end end
local own = lease[me] or { t = 0, r = 0 }
local holders = 0
for _ in pairs(lease) do holders = holders + 1 end
local mine = 0
if f['_bp'] == me then mine = 1 end
return { math.floor(lvl), math.floor(rlvl), math.floor(own.t), math.floor(own.r), math.floor(lim), learned, math.floor(roomAt), math.floor(num('_bu')), mine, math.floor(num('_bg')), granted, holders, math.floor(recent), math.floor(now - (cur - 1) * slotMs), math.floor(sum(tok)) }
`;

/** SHA1 of the script: what EVALSHA names it by. */
export const FLEET_SCRIPT_SHA = createHash("sha1").update(FLEET_SCRIPT).digest("hex");

/** One update the script applies, in order, before it reads the state back. */
export type FleetOp =
  /** A call started: `tokens` reserved in the current slot; `fromLease` of them (and a request) came out of this instance's lease. */
  | { readonly op: "consume"; readonly tokens: number; readonly fromLeaseTokens: number; readonly fromLeaseRequests: number }
  /** A call ended with an answer: its slot's reservation corrected to the charge. */
  | { readonly op: "settle"; readonly slot: number; readonly reserved: number; readonly charged: number }
  /** A call was refused (or never ran): its reservation and request given back. */
  | { readonly op: "release"; readonly slot: number; readonly reserved: number }
  /** The model answered 429: the bucket is empty now; every lease is void; without a document quota, learn one. */
  | { readonly op: "throttle"; readonly tokens: number }
  /** Top this instance's lease up to `tokens` (and `requests`) if the room is there. */
  | { readonly op: "claim"; readonly tokens: number; readonly requests: number }
  /** Give this instance's lease back. */
  | { readonly op: "drop" }
  /** This instance's breaker opened until `until`: it probes, unless another instance's opening is in force. */
  | { readonly op: "open"; readonly until: number }
  /** This instance's probe succeeded: close the fleet's opening (if it was this instance's, or has run out). */
  | { readonly op: "close" }
  /** Nothing: read the state (and renew the lease). */
  | { readonly op: "sync" };

/** What every script call answers: the model's fleet state after the updates. */
export interface FleetReply {
  /** Tokens in the bucket: room nobody holds (not reserved, charged or leased); meaningless when `limit` is 0. */
  readonly freeTokens: number;
  readonly freeRequests: number;
  /** This instance's lease. */
  readonly leaseTokens: number;
  readonly leaseRequests: number;
  /** The quota in force: the document's (as sent), else a learned one; 0 when unknown. */
  readonly limit: number;
  readonly learned: boolean;
  /** When the bucket holds a typical call again (ms epoch); 0 when the quota is unknown. */
  readonly roomAt: number;
  /** A breaker opening in force until then (ms epoch); 0 when none. */
  readonly breakerUntil: number;
  readonly proberIsMe: boolean;
  readonly breakerGeneration: number;
  /** 1 granted, 0 refused, -1 no claim in this call (or nothing to lease against). */
  readonly granted: number;
  /** Instances holding a lease. */
  readonly holders: number;
  /** Tokens the fleet reserved and was charged in this slot and the one before: its recent pace, with `recentMs`. */
  readonly recentTokens: number;
  /** The span `recentTokens` covers, ms. */
  readonly recentMs: number;
  /** Tokens reserved and charged over the trailing period (what a throttle would turn into a learned quota). */
  readonly windowTokens: number;
}

/** The fixed arguments of every call. */
export interface FleetCallHead {
  readonly now: number;
  readonly minuteMs: number;
  /** The document's quota; 0 when it has none. */
  readonly tokensPerMinute: number;
  readonly requestsPerMinute: number;
  readonly instance: string;
  readonly leaseTtlMs: number;
  readonly lapseMs: number;
  /** A typical reservation, for `roomAt`. */
  readonly need: number;
}

const int = (x: number) => String(Math.round(x));

/** ARGV for one call: the head, then each op's letter and arguments. */
export function scriptArgs(head: FleetCallHead, ops: readonly FleetOp[]): string[] {
  const out = [int(head.now), int(head.minuteMs), int(head.tokensPerMinute), int(head.requestsPerMinute), head.instance, int(head.leaseTtlMs), int(head.lapseMs), int(head.need)];
  for (const o of ops) {
    switch (o.op) {
      case "consume":
        out.push("C", int(o.tokens), int(o.fromLeaseTokens), int(o.fromLeaseRequests));
        break;
      case "settle":
        out.push("S", int(o.slot), int(o.reserved), int(o.charged));
        break;
      case "release":
        out.push("R", int(o.slot), int(o.reserved));
        break;
      case "throttle":
        out.push("T", int(o.tokens));
        break;
      case "claim":
        out.push("W", int(o.tokens), int(o.requests));
        break;
      case "drop":
        out.push("X");
        break;
      case "open":
        out.push("O", int(o.until));
        break;
      case "close":
        out.push("K");
        break;
      case "sync":
        out.push("Y");
        break;
    }
  }
  return out;
}

/** The script's reply, checked: an unexpected shape (another script under our key, a proxy) throws. */
export function parseReply(reply: unknown): FleetReply {
  if (!Array.isArray(reply) || reply.length !== 15) throw new Error(`unexpected fleet script reply (${Array.isArray(reply) ? `${reply.length} items` : typeof reply})`);
  const n: number[] = new Array(reply.length);
  for (let i = 0; i < reply.length; i++) {
    const x: unknown = reply[i];
    // Integers as RESP2 integers; some clients hand them over as strings.
    const v = typeof x === "number" ? x : typeof x === "string" && /^-?\d+$/.test(x) ? Number(x) : NaN;
    if (!Number.isFinite(v)) throw new Error("unexpected fleet script reply (not integers)");
    n[i] = v;
  }
  return {
    freeTokens: n[0],
    freeRequests: n[1],
    leaseTokens: n[2],
    leaseRequests: n[3],
    limit: n[4],
    learned: n[5] === 1,
    roomAt: n[6],
    breakerUntil: n[7],
    proberIsMe: n[8] === 1,
    breakerGeneration: n[9],
    granted: n[10],
    holders: n[11],
    recentTokens: n[12],
    recentMs: n[13],
    windowTokens: n[14],
  };
}

/** The slot a time falls in (the script's own arithmetic). */
export function slotOf(now: number, minuteMs: number): number {
  return Math.floor(now / (minuteMs / SLOTS));
}
