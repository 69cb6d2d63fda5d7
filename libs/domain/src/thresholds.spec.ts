import { moreThanHalfNeeded, reachesMoreThanHalf, reachesTwoThirds, twoThirdsNeeded } from './thresholds.js';

describe('reachesTwoThirds', () => {
  it('passes a cell vote of exactly two thirds (6 of 9 official members)', () => {
    expect(reachesTwoThirds(6, 9)).toBe(true);
  });

  it('rejects a cell vote below two thirds of official members (5 of 9)', () => {
    expect(reachesTwoThirds(5, 9)).toBe(false);
  });

  it('passes 2 of 3, the smallest cell that may exist', () => {
    expect(reachesTwoThirds(2, 3)).toBe(true);
    expect(reachesTwoThirds(1, 3)).toBe(false);
  });

  it('needs 7 of 10 because two thirds of 10 is not a whole number (6 of 10 fails)', () => {
    expect(reachesTwoThirds(7, 10)).toBe(true);
    expect(reachesTwoThirds(6, 10)).toBe(false);
  });

  it('passes a unanimous vote', () => {
    expect(reachesTwoThirds(9, 9)).toBe(true);
  });

  it('never passes with 0 members, even with 0 votes', () => {
    expect(reachesTwoThirds(0, 0)).toBe(false);
    expect(reachesTwoThirds(1, 0)).toBe(false);
  });

  it('agrees with twoThirdsNeeded for every body size from 1 to 300', () => {
    for (let members = 1; members <= 300; members++) {
      const needed = twoThirdsNeeded(members);
      expect(reachesTwoThirds(needed, members)).toBe(true);
      expect(reachesTwoThirds(needed - 1, members)).toBe(false);
    }
  });
});

describe('reachesMoreThanHalf', () => {
  it('passes 5 of 9 standing-board members', () => {
    expect(reachesMoreThanHalf(5, 9)).toBe(true);
  });

  it('rejects exactly half (4 of 8): "more than half" is strict', () => {
    expect(reachesMoreThanHalf(4, 8)).toBe(false);
  });

  it('passes 5 of 8', () => {
    expect(reachesMoreThanHalf(5, 8)).toBe(true);
  });

  it('rejects 4 of 9', () => {
    expect(reachesMoreThanHalf(4, 9)).toBe(false);
  });

  it('never passes with 0 members', () => {
    expect(reachesMoreThanHalf(0, 0)).toBe(false);
    expect(reachesMoreThanHalf(1, 0)).toBe(false);
  });

  it('agrees with moreThanHalfNeeded for every body size from 1 to 300', () => {
    for (let members = 1; members <= 300; members++) {
      const needed = moreThanHalfNeeded(members);
      expect(reachesMoreThanHalf(needed, members)).toBe(true);
      expect(reachesMoreThanHalf(needed - 1, members)).toBe(false);
    }
  });
});

describe('twoThirdsNeeded', () => {
  it('gives the smallest passing vote count for common body sizes', () => {
    expect(twoThirdsNeeded(3)).toBe(2);
    expect(twoThirdsNeeded(4)).toBe(3);
    expect(twoThirdsNeeded(7)).toBe(5);
    expect(twoThirdsNeeded(9)).toBe(6);
    expect(twoThirdsNeeded(10)).toBe(7);
    expect(twoThirdsNeeded(12)).toBe(8);
  });
});

describe('moreThanHalfNeeded', () => {
  it('gives the smallest passing vote count for odd and even bodies', () => {
    expect(moreThanHalfNeeded(1)).toBe(1);
    expect(moreThanHalfNeeded(8)).toBe(5);
    expect(moreThanHalfNeeded(9)).toBe(5);
    expect(moreThanHalfNeeded(10)).toBe(6);
  });
});
