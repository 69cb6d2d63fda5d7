import { validateDecision } from './decisions.js';
import { canSetTradeUnionRoute, settingInForce, TRADE_UNION_ROUTE_DEFAULT, tradeUnionRouteRefusal } from './introduction-policy.js';
import { renderMessage } from './messages.js';

const MEMBER = { fullName: 'Lê Văn Cường', official: true, monthsTogether: 24, sameGrassroots: true };
const OPINIONS = { massOrganizations: 'Nhất trí', residence: 'Nhất trí' };
const UNION_ROUTE = { introducers: [MEMBER], youthUnionAtGrassroots: false, tradeUnionResolution: { number: '07-NQ/CĐCS', date: '2026-03-02', tradeUnionMember: true }, opinions: OPINIONS };

describe('Trade-union route as local configuration (§2.3 "Conflict to flag")', () => {
  it('is off where no unit sets it: the union resolution replaces an introducer only if local configuration says so', () => {
    expect(TRADE_UNION_ROUTE_DEFAULT).toBe(false);
    expect(settingInForce([{ id: 'province', own: null }, { id: 'superior', own: null }, { id: 'grassroots', own: null }, { id: 'cell', own: null }], TRADE_UNION_ROUTE_DEFAULT)).toEqual({ value: false, setOn: null });
  });

  it("gives a cell its grassroots organisation's setting, the nearest unit's own setting winning over the levels above", () => {
    const path = [{ id: 'superior', own: false }, { id: 'grassroots', own: true }, { id: 'cell', own: null }];
    expect(settingInForce(path, TRADE_UNION_ROUTE_DEFAULT)).toEqual({ value: true, setOn: 'grassroots' });
    // A superior turning it on covers its grassroots organisations that say nothing; one that says no keeps no.
    expect(settingInForce([{ id: 'superior', own: true }, { id: 'grassroots', own: null }, { id: 'cell', own: null }], false)).toEqual({ value: true, setOn: 'superior' });
    expect(settingInForce([{ id: 'superior', own: true }, { id: 'grassroots', own: false }, { id: 'cell', own: null }], false)).toEqual({ value: false, setOn: 'grassroots' });
  });

  it('is decided by the grassroots organisation or a level above, never by a cell or a partial committee', () => {
    for (const kind of ['grassroots_committee', 'grassroots_cell', 'superior', 'province'] as const) expect(canSetTradeUnionRoute(kind)).toBe(true);
    for (const kind of ['cell', 'partial_committee', 'training_centre'] as const) expect(canSetTradeUnionRoute(kind)).toBe(false);
  });

  it('refuses the union resolution in place of an introducer where the organisation does not allow it, naming the resolution', () => {
    expect(tradeUnionRouteRefusal(UNION_ROUTE, false)).toEqual({ code: 'trade_union_route_not_enabled', field: 'tradeUnionResolution' });
    expect(renderMessage('trade_union_route_not_enabled', {}, 'vi')).toContain('chưa cho phép nghị quyết giới thiệu của Ban Chấp hành công đoàn cơ sở (mẫu 4A-KNĐ)');
    expect(renderMessage('trade_union_route_not_enabled', {}, 'en')).toContain('does not allow the grassroots trade-union committee');
  });

  it('accepts it where the organisation allows it, and never refuses the other routes', () => {
    expect(tradeUnionRouteRefusal(UNION_ROUTE, true)).toBeUndefined();
    expect(tradeUnionRouteRefusal({ introducers: [MEMBER, { ...MEMBER, fullName: 'Phạm Thị Dung' }], opinions: OPINIONS }, false)).toBeUndefined();
    expect(tradeUnionRouteRefusal({ introducers: [MEMBER], youthUnionResolution: { number: '12-NQ/ĐTN', date: '2026-03-01' }, opinions: OPINIONS }, false)).toBeUndefined();
    expect(tradeUnionRouteRefusal(undefined, false)).toBeUndefined();
  });

  it('leaves the rules of the route itself to validateDecision (allowed here, still refused for a non-member)', () => {
    const ctx = { today: '2026-03-05', candidate: { dateOfBirth: '1980-01-01', youthUnionMember: false, education: 'university' as const } };
    const notMember = { ...UNION_ROUTE, tradeUnionResolution: { ...UNION_ROUTE.tradeUnionResolution, tradeUnionMember: false } };
    expect(tradeUnionRouteRefusal(notMember, true)).toBeUndefined();
    const r = validateDecision({ taskType: 'record_introductions', data: notMember }, ctx);
    expect(r.ok ? [] : r.violations.map((v) => v.code)).toEqual(['trade_union_route_not_allowed']);
  });
});
