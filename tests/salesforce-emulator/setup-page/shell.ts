/**
 * A Lightning-like page shell for the extension to live in: a "Setup" header, a left navigation (Setup Home, Users,
 * Permission Sets, External Client App Manager, and Contacts outside Setup) and a main area. Links navigate
 * client-side with `history.pushState`, never reloading, as Lightning does, so an extension must follow URL changes
 * to know when it is on a Setup page.
 */
import { escapeXml } from '../metadata/xml';

export type ShellData = {
  orgName: string;
  myDomain: string;
  users: { Name: unknown; Username: unknown; Profile: unknown; IsActive: unknown }[];
  contacts: number;
};

export const NAV_LINKS: [label: string, href: string][] = [
  ['Setup Home', '/lightning/setup/SetupOneHome/home'],
  ['Users', '/lightning/setup/ManageUsers/home'],
  ['Permission Sets', '/lightning/setup/PermSets/home'],
  ['External Client App Manager', '/lightning/setup/ManageExternalClientApplication/home'],
  ['Contacts', '/lightning/o/Contact/list'],
];

const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('emulator-data').textContent);
  var main = document.getElementById('main-content');
  function text(tag, value) { var el = document.createElement(tag); el.textContent = value; return el; }
  function render() {
    var path = location.pathname;
    main.replaceChildren();
    var heading;
    if (path.indexOf('/lightning/setup/SetupOneHome') === 0) {
      heading = 'Setup Home';
      main.append(text('h1', heading), text('p', 'Welcome to Setup for ' + data.orgName + ' (' + data.myDomain + ').'));
    } else if (path.indexOf('/lightning/setup/ManageUsers') === 0) {
      heading = 'Users';
      var table = document.createElement('table');
      table.setAttribute('aria-label', 'Users');
      data.users.forEach(function (u) {
        var row = document.createElement('tr');
        [u.Name, u.Username, u.Profile, u.IsActive ? 'Active' : 'Inactive'].forEach(function (v) { row.append(text('td', String(v))); });
        table.append(row);
      });
      main.append(text('h1', heading), table);
    } else if (path.indexOf('/lightning/o/Contact') === 0) {
      heading = 'Contacts';
      main.append(text('h1', heading), text('p', data.contacts + ' contacts'));
    } else {
      heading = decodeURIComponent(path.split('/')[3] || 'Lightning Experience');
      main.append(text('h1', heading));
    }
    document.title = heading + ' | Salesforce';
    document.querySelectorAll('nav a').forEach(function (a) {
      if (path.indexOf(a.getAttribute('href')) === 0) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-spa]');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    history.pushState({}, '', link.getAttribute('href'));
    render();
  });
  window.addEventListener('popstate', render);
  render();
})();
`;

export function shellHtml(data: ShellData): string {
  const nav = NAV_LINKS.map(([label, href]) => `<li><a data-spa href="${href}">${escapeXml(label)}</a></li>`).join('');
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Salesforce</title>
<style>
  body { margin: 0; font-family: -apple-system, "Segoe UI", Roboto, sans-serif; background: #f3f3f3; color: #181818; }
  header.slds-global-header { display: flex; align-items: center; gap: 1rem; height: 3rem; padding: 0 1rem; background: #fff; border-bottom: 1px solid #dddbda; }
  header h1 { font-size: 1.1rem; margin: 0; }
  .layout { display: flex; }
  nav { width: 15rem; background: #fff; min-height: calc(100vh - 3rem); border-right: 1px solid #dddbda; }
  nav ul { list-style: none; margin: 0; padding: .5rem 0; }
  nav a { display: block; padding: .4rem 1rem; color: #0176d3; text-decoration: none; }
  nav a[aria-current="page"] { background: #eef4ff; font-weight: 600; }
  main { flex: 1; min-width: 0; padding: 1rem 1.5rem; }
  /* Like Setup's list views, a long value (an 18-character-org-id username) wraps instead of widening the page. */
  td { padding: .25rem .75rem; border-bottom: 1px solid #e5e5e5; overflow-wrap: anywhere; }
</style>
</head>
<body>
<header class="slds-global-header" role="banner"><span class="app-name">Setup</span><h1>Setup</h1></header>
<div class="layout">
<nav aria-label="Setup navigation"><ul>${nav}</ul></nav>
<main id="main-content" role="main"></main>
</div>
<script id="emulator-data" type="application/json">${json}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}
