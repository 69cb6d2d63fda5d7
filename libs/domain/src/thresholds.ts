/** Vote thresholds of the Charter, in integer arithmetic (no floating point at the boundary). */

/** At least two thirds of `members` (cell and grassroots votes: "ít nhất hai phần ba"). */
export function reachesTwoThirds(inFavour: number, members: number): boolean {
  return members > 0 && inFavour * 3 >= members * 2;
}

/** More than half of `members` (standing-board decisions: "quá nửa"). */
export function reachesMoreThanHalf(inFavour: number, members: number): boolean {
  return members > 0 && inFavour * 2 > members;
}

/** Smallest number of votes that reaches two thirds. */
export function twoThirdsNeeded(members: number): number {
  return Math.ceil((members * 2) / 3);
}

export function moreThanHalfNeeded(members: number): number {
  return Math.floor(members / 2) + 1;
}
