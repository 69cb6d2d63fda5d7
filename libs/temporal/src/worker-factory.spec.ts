import { SDK_WORKFLOW_TASK_SLOTS, workflowTaskSlots } from './worker-factory.js';

describe(workflowTaskSlots, () => {
  it('holds at most half the cache in workflow tasks, never more than the SDK’s default, at least two (the core’s floor)', () => {
    expect(workflowTaskSlots(20)).toBe(10);
    expect(workflowTaskSlots(21)).toBe(10);
    expect(workflowTaskSlots(200)).toBe(SDK_WORKFLOW_TASK_SLOTS);
    expect(workflowTaskSlots(8000)).toBe(40);
    expect(workflowTaskSlots(4)).toBe(2);
    expect(workflowTaskSlots(3)).toBe(2);
    expect(workflowTaskSlots(1)).toBe(2);
  });

  it('keeps the SDK’s default without a cache size (the SDK sizes it from the heap: thousands) or without a cache', () => {
    expect(workflowTaskSlots(undefined)).toBeUndefined();
    expect(workflowTaskSlots(0)).toBeUndefined();
  });

  it('takes an explicit number (KETNAP_WORKFLOW_TASK_SLOTS), held between 2 and the cache', () => {
    expect(workflowTaskSlots(20, 20)).toBe(20);
    expect(workflowTaskSlots(20, 7)).toBe(7);
    expect(workflowTaskSlots(20, 64)).toBe(20);
    expect(workflowTaskSlots(20, 1)).toBe(2);
    expect(workflowTaskSlots(undefined, 7)).toBe(7);
  });
});
