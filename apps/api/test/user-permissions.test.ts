// Django's ModelBackend.get_all_permissions, the set `permissionRequired` hands its procedures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadUserPermissions } from "../src/auth/user-store.ts";
import { signUp, startTestServer, type TestServer } from "./http-client.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function permissionCount(): Promise<number> {
  const [row] = await server.sql<{ n: number }>("select count(*)::int as n from permissions");
  return row?.n ?? 0;
}

describe("loadUserPermissions", () => {
  it("gives a superuser every permission, though none is granted to them", async () => {
    const { id } = await signUp(server);
    await server.sql("update users set is_superuser = true where id = $1", [id]);

    const granted = await loadUserPermissions(server.t.database.db, { id, isSuperuser: true });

    expect(granted.size).toBe(await permissionCount());
    expect(granted.size).toBeGreaterThan(0);
    expect(granted).toContain("auth.add_user");
    expect(granted).toContain("auth.delete_group");
  });

  it("gives anyone else their own permissions and their groups'", async () => {
    const { id } = await signUp(server);
    await server.sql(
      `insert into user_permissions (user_id, permission_id)
         select $1, id from permissions where app_label = 'auth' and codename = 'view_user'`,
      [id],
    );
    const [group] = await server.sql<{ id: number }>("insert into groups (name) values ('editors') returning id");
    await server.sql(
      `insert into group_permissions (group_id, permission_id)
         select $1, id from permissions where app_label = 'auth' and codename = 'change_user'`,
      [group?.id],
    );
    await server.sql("insert into user_groups (user_id, group_id) values ($1, $2)", [id, group?.id]);

    const granted = await loadUserPermissions(server.t.database.db, { id, isSuperuser: false });

    expect([...granted].sort()).toEqual(["auth.change_user", "auth.view_user"]);
  });
});
