// What the views share: the lists last loaded and the subnet on show.

export const newAllocationPage = (size, owner = "") => ({ cursors: [null], index: 0, next: null, owner, size });

export const state = {
  subnets: [], subnetsNext: null, pools: [], scopes: [], current: null,
  page: newAllocationPage(50),
  map: { trail: [], selected: null, reload: null },
};
