// What the views share: the lists last loaded and the subnet on show.

export const newAllocationPage = (size, owner = "") => ({ cursors: [null], index: 0, next: null, owner, size });

export const state = {
  // `route` is the id of the subnet the address bar names (null on other pages); `current` is that subnet as
  // loaded, and never another one: a response for a subnet the page has left is dropped.
  subnets: [], subnetsNext: null, pools: [], scopes: [], route: null, current: null,
  page: newAllocationPage(50),
  map: { trail: [], selected: null, reload: null },
};

/** The subnet on show, when it is the one the address bar names: what the page's actions act on. */
export const routedSubnet = () => (state.current && state.current.id === state.route ? state.current : null);

/** Whether the page still shows subnet `id`: a response that arrives after it moved on is dropped. */
export const stillOn = (id) => state.route === id;
