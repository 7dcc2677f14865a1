/**
 * One UE of a flow and the MME's side of its NAS: identity, subscription keys (K, OPc), the EPS AKA
 * run, its own NAS security context (K_ASME -> K_NASenc, K_NASint) and a NAS COUNT per direction.
 * Every protected message is built with protect() and the real algorithms.
 */
import { cipheredGroupKeyInformation, groupKeyInformation } from '../groupkeys/nas.js';
import { encodeWith as encode } from '../api.js';
import type { AlgId } from '../security/algorithms.js';
import { deriveNasKeys } from '../security/kdf.js';
import { protect } from '../security/nas-protect.js';
import { toHex } from '../engine/format.js';
import type { Direction } from '../io/frame.js';
import type { GroupKeyRecord } from '../security/keys.js';
import { authVector, opc, plmnBytes, ueAuthenticate, type AuthVector } from './milenage.js';
import type { FlowRandom } from './rng.js';

export const MCC = '001';
export const MNC = '01';
export const SN_ID = plmnBytes(MCC, MNC);
/** Lifetime of distributed group keys, in seconds. */
export const KEY_LIFETIME = 86400;

const UE_CAPS = { eea0: 1, eea1: 1, eea2: 1, eea3: 1, eea4: 0, eea5: 0, eea6: 0, eea7: 0, eia0: 0, eia1: 1, eia2: 1, eia3: 1, eia4: 0, eia5: 0, eia6: 0, eps_upip: 0 };

export type NasCarrier = 'smc' | 'smc-ciphered' | 'attach-accept' | 'dedicated';

/** A NAS message ready for the capture. */
export interface NasMessage {
  bytes: Uint8Array;
  direction: Direction;
  name: string;
}

export class FlowUe {
  readonly name: string;
  readonly imsi: string;
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  /** Set by authenticate(). */
  kasme?: Uint8Array;
  vector?: AuthVector;
  private readonly sqn: Uint8Array;
  private readonly rand: Uint8Array;
  /** NAS COUNT of the next message in each direction. */
  private count: Record<Direction, number> = { ul: 0, dl: 0 };

  constructor(
    readonly index: number,
    rng: FlowRandom,
    readonly eea: AlgId,
    readonly eia: AlgId,
    /** The groups the UE belongs to (key records of the MTC-IWF). */
    readonly groups: GroupKeyRecord[],
    /** Which draw of RAND (see tsharkSafe in scenario.ts). */
    attempt = 0,
  ) {
    this.name = `UE${index}`;
    this.imsi = `${MCC}${MNC}${String(index).padStart(10, '0')}`;
    this.k = rng.bytes(`ue${index}/k`, 16);
    this.opc = opc(this.k, rng.bytes('operator/op', 16));
    this.sqn = rng.bytes(`ue${index}/sqn`, 6);
    this.sqn[0] &= 0x0f;
    this.rand = rng.bytes(`ue${index}/rand/${attempt}`, 16);
  }

  /** The HSS's authentication vector for this UE (S6a AIA). */
  hssVector(): AuthVector {
    this.vector ??= authVector(this.k, this.opc, this.rand, this.sqn, Uint8Array.of(0x80, 0x00), SN_ID);
    return this.vector;
  }

  private plain(value: unknown, direction: Direction, name: string): NasMessage {
    return { bytes: encode(value, 'nas-eps'), direction, name };
  }

  /** A protected message with the next COUNT of its direction. */
  private protected_(value: unknown, sht: 1 | 2 | 3 | 4, direction: Direction, name: string, eia: AlgId = this.eia): NasMessage {
    const { knasenc, knasint } = deriveNasKeys(this.kasme!, this.eea, eia);
    const bytes = protect(value, sht, { knasenc, knasint, eea: this.eea, eia, count: this.count[direction]++, direction });
    return { bytes, direction, name };
  }

  attachRequest(): NasMessage {
    return this.plain(
      {
        message: 'attach_request',
        nas_key_set_identifier: { tsc: 0, ksi: 7 },
        eps_attach_type: { type: 1 },
        eps_mobile_identity: { imsi: this.imsi, type_of_identity: 1 },
        ue_network_capability: UE_CAPS,
        esm_message_container: {
          message: 'pdn_connectivity_request',
          eps_bearer_identity: 0,
          procedure_transaction_identity: 1,
          pdn_type: { value: 1 },
          request_type: { value: 1 },
        },
      },
      'ul',
      'Attach request',
    );
  }

  authenticationRequest(): NasMessage {
    const v = this.hssVector();
    return this.plain(
      {
        message: 'authentication_request',
        nas_key_set_identifier: { tsc: 0, ksi: 1 },
        authentication_parameter_rand: { rand: toHex(v.rand) },
        authentication_parameter_autn: { sqn_xor_ak: toHex(v.autn.subarray(0, 6)), amf: toHex(v.autn.subarray(6, 8)), mac: toHex(v.autn.subarray(8)) },
      },
      'dl',
      'Authentication request',
    );
  }

  /** The UE checks AUTN, computes RES and K_ASME (its own, from K and OPc: not copied from the HSS). */
  authenticationResponse(): NasMessage {
    const v = this.hssVector();
    const r = ueAuthenticate(this.k, this.opc, v.rand, v.autn, SN_ID);
    if (!r) throw new Error(`${this.name}: AUTN does not verify`);
    if (toHex(r.kasme) !== toHex(v.kasme)) throw new Error(`${this.name}: K_ASME differs between UE and HSS`);
    this.kasme = r.kasme;
    return this.plain({ message: 'authentication_response', authentication_response_parameter: { res: toHex(r.res) } }, 'ul', 'Authentication response');
  }

  /**
   * Security Mode Command (SHT 3): takes the UE's new NAS security context into use (downlink COUNT
   * 0). `keys` puts the group keys in: the plain IE (in clear: an SMC is never ciphered) or the
   * ciphered IE form (K_NASenc, this message's COUNT, BEARER 1).
   */
  securityModeCommand(keys?: { groups: GroupKeyRecord[]; ciphered: boolean }, eia: AlgId = this.eia): NasMessage {
    const count = this.count.dl;
    const extra = !keys
      ? {}
      : keys.ciphered
        ? { ciphered_group_key_information: cipheredGroupKeyInformation(keys.groups, deriveNasKeys(this.kasme!, this.eea, eia).knasenc, this.eea, count, { lifetime: KEY_LIFETIME }) }
        : { group_key_information: groupKeyInformation(keys.groups, { lifetime: KEY_LIFETIME }) };
    const value = {
      message: 'security_mode_command',
      selected_nas_security_algorithms: { ciphering: this.eea, integrity: eia },
      nas_key_set_identifier: { tsc: 0, ksi: 1 },
      replayed_ue_security_capabilities: UE_CAPS,
      ...extra,
    };
    const name = !keys ? 'Security mode command' : keys.ciphered ? 'Security mode command (ciphered group keys)' : 'Security mode command (group keys in clear)';
    return this.protected_(value, 3, 'dl', name, eia);
  }

  securityModeComplete(eia: AlgId = this.eia): NasMessage {
    return this.protected_({ message: 'security_mode_complete' }, 4, 'ul', 'Security mode complete', eia);
  }

  /** Attach accept, ciphered (SHT 2); with group keys in it when given. sht 1 = integrity only (keys readable). */
  attachAccept(groups?: GroupKeyRecord[], sht: 1 | 2 = 2): NasMessage {
    const value = {
      message: 'attach_accept',
      eps_attach_result: { result: 1 },
      t3412_value: { unit: 1, value: 9 },
      tai_list: { partial_lists: [{ type_of_list: 0, plmn: { mcc: MCC, mnc: MNC }, tacs: [1] }] },
      esm_message_container: {
        message: 'activate_default_eps_bearer_context_request',
        eps_bearer_identity: 5,
        procedure_transaction_identity: 1,
        eps_qos: { qci: 9 },
        access_point_name: { labels: [{ label: 'mtc' }] },
        pdn_address: { pdn_type: 1, address: { ipv4: `0a2d00${(this.index & 0xff).toString(16).padStart(2, '0')}` } },
      },
      guti: { type_of_identity: 6, plmn: { mcc: MCC, mnc: MNC }, mme_group_id: 32769, mme_code: 1, m_tmsi: 0x1000 + this.index },
      ...(groups ? { group_key_information: groupKeyInformation(groups, { lifetime: KEY_LIFETIME }) } : {}),
    };
    return this.protected_(value, sht, 'dl', groups ? 'Attach accept (group keys)' : 'Attach accept');
  }

  attachComplete(): NasMessage {
    return this.protected_(
      { message: 'attach_complete', esm_message_container: { message: 'activate_default_eps_bearer_context_accept', eps_bearer_identity: 5, procedure_transaction_identity: 0 } },
      2,
      'ul',
      'Attach complete',
    );
  }

  /** The dedicated GROUP KEY DISTRIBUTION, ciphered (SHT 2); sht 1 = integrity only (keys readable). */
  groupKeyDistribution(groups: GroupKeyRecord[], sht: 1 | 2 = 2): NasMessage {
    return this.protected_({ message: 'group_key_distribution', group_key_information: groupKeyInformation(groups, { lifetime: KEY_LIFETIME }) }, sht, 'dl', 'Group key distribution');
  }

  groupKeyDistributionComplete(groups: GroupKeyRecord[]): NasMessage {
    return this.protected_(
      { message: 'group_key_distribution_complete', group_key_identity_list: { identities: groups.map((g) => ({ gid: g.gid, gki: g.gki })) } },
      2,
      'ul',
      'Group key distribution complete',
    );
  }
}
