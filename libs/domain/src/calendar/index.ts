// Placeholder until the working-day calendar lands (weekends only).
import { addDays, dayOfWeek, type IsoDate } from '../dates.js';
export function isWorkingDay(date: IsoDate): boolean {
  const d = dayOfWeek(date);
  return d !== 0 && d !== 6;
}
export function addWorkingDays(anchor: IsoDate, n: number): IsoDate {
  let d = anchor;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}
