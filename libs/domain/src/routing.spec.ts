import { resolveRouting, type RoutingUnit } from './routing.js';

const u = (id: string, kind: RoutingUnit['kind'], parentId: string | null, extra: Partial<RoutingUnit> = {}): RoutingUnit => ({ id, kind, parentId, ...extra });
const province = u('prov', 'province', null);
const superior = u('sup', 'superior', 'prov');
const grassroots = u('gr', 'grassroots_committee', 'sup');
const centres: Record<string, string> = { sup: 'tc-sup', prov: 'tc-prov' };

describe('resolveRouting', () => {
  it('routes an ordinary cell through its grassroots committee, superior and province', () => {
    expect(resolveRouting(u('c', 'cell', 'gr'), [grassroots, superior, province], (id) => centres[id])).toEqual({
      cellId: 'c',
      provinceId: 'prov',
      grassrootsId: 'gr',
      grassrootsIsCell: false,
      superiorId: 'sup',
      trainingCentreId: 'tc-sup',
    });
  });

  it('puts a partial committee between the cell and the grassroots committee', () => {
    const partial = u('pc', 'partial_committee', 'gr');
    expect(resolveRouting(u('c', 'cell', 'pc'), [partial, grassroots, superior, province], () => undefined)).toEqual({
      cellId: 'c',
      provinceId: 'prov',
      grassrootsId: 'gr',
      grassrootsIsCell: false,
      partialCommitteeId: 'pc',
      superiorId: 'sup',
      // No centre under the superior nor the province: the superior stands in.
      trainingCentreId: 'sup',
    });
  });

  it('marks a grassroots committee authorised to admit, and never a grassroots cell', () => {
    const authorised = { ...grassroots, authorisedToAdmit: true };
    expect(resolveRouting(u('c', 'cell', 'gr'), [authorised, superior], () => undefined)).toMatchObject({ grassrootsAuthorised: true, grassrootsId: 'gr' });
    const gcell = u('gc', 'grassroots_cell', 'sup', { authorisedToAdmit: true });
    expect(resolveRouting(gcell, [superior, province], (id) => centres[id])).not.toHaveProperty('grassrootsAuthorised');
  });

  it("takes the province's training centre when the superior has none", () => {
    expect(resolveRouting(u('c', 'cell', 'gr'), [grassroots, superior, province], (id) => (id === 'prov' ? 'tc-prov' : undefined))?.trainingCentreId).toBe('tc-prov');
  });

  it('gives no route when a level is missing or of the wrong kind', () => {
    expect(resolveRouting(u('c', 'cell', 'gr'), [grassroots], () => undefined)).toBeUndefined();
    expect(resolveRouting(u('c', 'cell', 'sup'), [superior, province], () => undefined)).toBeUndefined();
    expect(resolveRouting(u('gr', 'grassroots_committee', 'sup'), [superior], () => undefined)).toBeUndefined();
  });
});
