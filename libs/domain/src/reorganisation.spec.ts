import type { OrgUnitKind } from './procedure.js';
import { checkDissolve, checkMerge, checkMove, dissolvedQuotaGoesTo, rebasePath, routingChanges, sameRouting, settingAfterMerge, settingHandedDown, type TreeUnit } from './reorganisation.js';

// province P ─ superior S1 ─ grassroots G1 ─ cell C1, C2
//            └ superior S2 ─ grassroots G2 ─ cell C3
//                          └ grassroots cell GC
const u = (id: string, kind: OrgUnitKind, parent?: TreeUnit): TreeUnit => ({ id, kind, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/` });
const P = u('P', 'province');
const S1 = u('S1', 'superior', P);
const S2 = u('S2', 'superior', P);
const G1 = u('G1', 'grassroots_committee', S1);
const G2 = u('G2', 'grassroots_committee', S2);
const C1 = u('C1', 'cell', G1);
const C2 = u('C2', 'cell', G1);
const C3 = u('C3', 'cell', G2);
const GC = u('GC', 'grassroots_cell', S2);
const TC = u('TC', 'training_centre', S1);

describe('checkMove', () => {
  it('accepts a grassroots committee moved under another superior', () => {
    expect(checkMove(G1, S2)).toBeUndefined();
  });

  it('accepts a cell moved under another grassroots committee', () => {
    expect(checkMove(C1, G2)).toBeUndefined();
  });

  it('refuses a cell under a superior (a cell sits under a grassroots committee)', () => {
    expect(checkMove(C1, S2)).toEqual({ code: 'org_unit_parent_invalid', params: { kind: 'cell', parent: '"superior"' } });
  });

  it('refuses a grassroots committee under a province (it sits under a superior-level unit)', () => {
    expect(checkMove(G1, P)?.code).toBe('org_unit_parent_invalid');
  });

  it('refuses a grassroots committee at the top', () => {
    expect(checkMove(G1, null)?.code).toBe('org_unit_parent_invalid');
  });

  it('accepts a superior taken out of its province to the top', () => {
    expect(checkMove(S1, null)).toBeUndefined();
  });

  it('refuses a cycle: a unit under itself or under one of its descendants', () => {
    expect(checkMove(S1, S1)?.code).toBe('org_unit_cycle');
    expect(checkMove(P, G1)?.code).toBe('org_unit_cycle');
    expect(checkMove(G1, C1)?.code).toBe('org_unit_cycle');
  });

  it('refuses a move to the parent the unit already has', () => {
    expect(checkMove(G1, S1)?.code).toBe('org_unit_no_change');
  });
});

describe('checkMerge', () => {
  it('accepts two cells merged', () => {
    expect(checkMerge(C1, C3)).toBeUndefined();
  });

  it('accepts two superiors merged (their grassroots committees go with them)', () => {
    expect(checkMerge(S1, S2)).toBeUndefined();
  });

  it('refuses units of different kinds, a cell and a grassroots cell included', () => {
    expect(checkMerge(C1, G1)).toEqual({ code: 'org_unit_merge_kind', params: { kind: 'cell', intoKind: 'grassroots_committee' } });
    expect(checkMerge(C1, GC)?.code).toBe('org_unit_merge_kind');
  });

  it('refuses a unit merged into itself', () => {
    expect(checkMerge(C1, C1)?.code).toBe('org_unit_no_change');
  });
});

describe('checkDissolve', () => {
  it('accepts a district-level superior dissolved, its grassroots committees and centre going to another superior', () => {
    expect(checkDissolve(S1, S2, ['grassroots_committee', 'training_centre'])).toBeUndefined();
  });

  it('refuses children whose kind cannot sit under the unit that receives them', () => {
    expect(checkDissolve(S1, P, ['grassroots_committee'])).toEqual({ code: 'org_unit_parent_invalid', params: { kind: 'grassroots_committee', parent: '"province"' } });
    expect(checkDissolve(G1, S2, ['cell'])?.code).toBe('org_unit_parent_invalid');
  });

  it('refuses handing the children to a unit inside the dissolved subtree', () => {
    expect(checkDissolve(S1, G1, ['grassroots_committee'])?.code).toBe('org_unit_cycle');
  });

  it('refuses dissolving a cell: a cell is merged, so its cases have a cell', () => {
    expect(checkDissolve(C1, null, [])?.code).toBe('org_unit_dissolve_cell');
    expect(checkDissolve(GC, null, [])?.code).toBe('org_unit_dissolve_cell');
  });

  it('needs a unit for the children when there are any, and none when there are not', () => {
    expect(checkDissolve(G1, null, ['cell'])).toEqual({ code: 'missing_field', params: { field: 'childrenTo' } });
    expect(checkDissolve(TC, null, [])).toBeUndefined();
  });
});

describe('rebasePath', () => {
  it('rewrites a descendant path under the new root', () => {
    expect(rebasePath('/P/S1/G1/C1/', '/P/S1/G1/', '/P/S2/G1/')).toBe('/P/S2/G1/C1/');
  });

  it('refuses a path outside the moved subtree', () => {
    expect(() => rebasePath('/P/S2/G2/', '/P/S1/', '/Q/S1/')).toThrow();
  });
});

describe('routingChanges', () => {
  const r = { cellId: 'C1', provinceId: 'P', grassrootsId: 'G1', grassrootsIsCell: false, superiorId: 'S1', trainingCentreId: 'TC' };

  it('lists the slots whose unit changed', () => {
    expect(routingChanges(r, { ...r, superiorId: 'S2', trainingCentreId: 'S2' })).toEqual([
      { slot: 'superiorId', from: 'S1', to: 'S2' },
      { slot: 'trainingCentreId', from: 'TC', to: 'S2' },
    ]);
    expect(sameRouting(r, { ...r })).toBe(true);
    const { provinceId: _p, ...withoutProvince } = r;
    expect(sameRouting(r, withoutProvince)).toBe(false);
  });
});

describe('what a merged or dissolved unit held of its own', () => {
  it('keeps the successor’s own setting on a merge, and takes the merged unit’s only when the successor has none', () => {
    expect(settingAfterMerge<string>('warn', 'require')).toBe('warn');
    expect(settingAfterMerge<string>(null, 'require')).toBe('require');
    expect(settingAfterMerge<boolean>(false, true)).toBe(false);
    expect(settingAfterMerge<boolean>(null, null)).toBeNull();
  });

  it('hands a dissolved level’s own setting down to a child without one, where the child’s kind may hold it', () => {
    expect(settingHandedDown<boolean>(null, true)).toBe(true);
    expect(settingHandedDown<boolean>(false, true)).toBe(false);
    expect(settingHandedDown<boolean>(null, true, false)).toBeNull();
    expect(settingHandedDown<string>(null, null)).toBeNull();
  });

  it('adds a dissolved unit’s quota into a sibling that takes its children, never into the level it was allocated from', () => {
    expect(dissolvedQuotaGoesTo(S1, S2)).toBe(S2);
    expect(dissolvedQuotaGoesTo(S1, P)).toBeNull();
    expect(dissolvedQuotaGoesTo(TC, null)).toBeNull();
  });
});
