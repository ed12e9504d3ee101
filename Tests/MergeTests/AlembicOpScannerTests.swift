import Testing

@testable import Merge

@Suite struct AlembicOpScannerTests {
  /// A script whose `upgrade()` body (starting on line 7) is `body`; `downgrade()` drops a table
  /// that must not be reported.
  static func script(_ body: String) -> String {
    """
    \"\"\"message\"\"\"
    revision = 'x1'
    down_revision = None


    def upgrade() -> None:
    \(body)


    def downgrade() -> None:
        op.drop_table('from_downgrade')

    """
  }

  static let cases: [ScanCase] = [
    .init(
      name: "create_table with schema",
      source: "    op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True), schema='app')",
      expected: ["7 create table app.users"]),
    .init(name: "drop_table", source: "    op.drop_table(\"users\")", expected: ["7 drop table users"]),
    .init(
      name: "rename_table", source: "    op.rename_table('a', 'b')", expected: ["7 rename table a", "7 create table b"]),
    .init(
      name: "add_column", source: "    op.add_column('users', sa.Column('email', sa.String(100), nullable=True))",
      expected: ["7 create column users.email", "7 alter table users"]),
    .init(
      name: "drop_column", source: "    op.drop_column('users', 'email')",
      expected: ["7 drop column users.email", "7 alter table users"]),
    .init(
      name: "alter_column renaming, over several lines",
      source: """
            op.alter_column(
                'users', 'name',
                new_column_name='full_name',
                existing_type=sa.String())
        """,
      expected: ["7 rename column users.name", "7 create column users.full_name", "7 alter table users"]),
    .init(
      name: "alter_column by keywords",
      source: "    op.alter_column(table_name='users', column_name='email', nullable=False)",
      expected: ["7 alter column users.email", "7 alter table users"]),
    .init(
      name: "create_index with op.f",
      source: "    op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)",
      expected: ["7 create index ix_users_email", "7 alter table users"]),
    .init(
      name: "drop_index with table_name", source: "    op.drop_index('ix_users_email', table_name='users')",
      expected: ["7 drop index ix_users_email", "7 alter table users"]),
    .init(
      name: "constraints change their table",
      source: """
            op.create_foreign_key('fk', 'orders', 'users', ['user_id'], ['id'])
            op.drop_constraint('uq', 'users', type_='unique')
        """,
      expected: ["7 alter table orders", "8 alter table users"]),
    .init(
      name: "batch_alter_table",
      source: """
            with op.batch_alter_table('users', schema=None) as batch_op:
                batch_op.add_column(sa.Column('age', sa.Integer()))
                batch_op.drop_column('legacy')
                batch_op.create_index('ix_age', ['age'])
        """,
      expected: [
        "8 create column users.age", "8 alter table users", "9 drop column users.legacy", "9 alter table users",
        "10 create index ix_age", "10 alter table users",
      ]),
    .init(
      name: "execute with literal SQL and sa.text",
      source: """
            op.execute("ALTER TABLE users ADD COLUMN x INT")
            op.execute(sa.text(\"\"\"
                DROP TABLE old_stuff
            \"\"\"))
        """,
      expected: ["7 create column users.x", "7 alter table users", "9 drop table old_stuff"]),
    .init(
      name: "bulk_insert into sa.table (a variable is skipped)",
      source: """
            t = sa.table('roles', sa.column('name'))
            op.bulk_insert(t, [{'name': 'a'}])
            op.bulk_insert(sa.table('perms', sa.column('n')), [])
        """,
      expected: ["9 data table perms"]),
    .init(
      name: "comments, strings and computed names are skipped",
      source: """
            # op.drop_table('x')
            s = "op.drop_table('y')"
            op.drop_table(name)
            op.drop_table('a' + suffix)
        """,
      expected: []),
  ]

  @Test(arguments: cases)
  func scans(_ c: ScanCase) {
    #expect(AlembicOpScanner.changes(inScript: Self.script(c.source)).map(\.summary) == c.expected)
  }

  @Test("a script without upgrade() reports nothing")
  func noUpgrade() {
    #expect(AlembicOpScanner.changes(inScript: "revision = 'a'\ndown_revision = None\n").isEmpty)
  }
}
