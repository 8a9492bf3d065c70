// Moving within the portal, and where each kind of account starts; the shell (main.js)
// renders whatever address this leaves.

export const HOSTS = ['host_citizen', 'host_foreign_owner', 'host_legal_entity'];
export const APPLICANTS = ['employer', 'foreign_entrepreneur', 'digital_nomad'];

/** Where each kind of account starts. */
export function homeOf(type) {
  if (HOSTS.includes(type)) return '/ereg';
  if (APPLICANTS.includes(type)) return '/ework';
  return { registration_operator: '/operator/registrations', labour_operator: '/labour/applications', admin: '/admin/operators' }[type] ?? '/';
}

/** Goes to `href` within the portal. */
export function navigate(href, replace = false) {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event('rerender'));
}
